import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { useTestDatabase } from '../../test/database.ts';
import {
  auditEntries,
  loaderArgs,
  routeAt,
  routeContext,
  useStaff,
} from '../../test/support/routes.ts';
import { maintenanceWindowsBy, serve } from '../../test/support/maintenance.ts';
import { toTokyoDateTimeLocal } from '../i18n/dates.ts';
import { action, loader } from '../routes/$lang.admin.maintenance/route.tsx';
import { loader as rootLoader } from '../root.tsx';
import { maintenanceGate } from './maintenance-gate.server.ts';
import { cancelMaintenance, scheduleMaintenance } from './maintenance.service.server.ts';

/**
 * Maintenance windows (issue 14): the staff page's rules and audit, the banner every page's
 * root loader carries, and the HTTP front's gate on a real express server.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const HOUR = 3_600_000;
const staff = useStaff(db, { manager: ['maintenance:manage'], other: ['delivery:read'] });
const route = routeAt(db, { path: '/en/admin/maintenance', loader, action });
const post = route.post;
const local = (msFromNow: number) => toTokyoDateTimeLocal(new Date(Date.now() + msFromNow));
const actor = () => ({
  actorType: 'staff' as const,
  actorId: staff.manager.accountId,
  onBehalfOfResidentId: null,
  ip: null,
});

describe('the staff maintenance page', () => {
  it('refuses staff without maintenance:manage (403) on the page and the action', async () => {
    const page = await route.load(staff.other.cookie);
    expect((page as Response).status).toBe(403);
    const posted = await post(staff.other.cookie, {
      intent: 'schedule',
      startsAt: local(HOUR),
      endsAt: local(2 * HOUR),
    });
    expect((posted as Response).status).toBe(403);
  });

  it('says next to the field when the end is not after the start, or is past, or a field is missing', async () => {
    const backwards = await post(staff.manager.cookie, {
      intent: 'schedule',
      startsAt: local(3 * HOUR),
      endsAt: local(2 * HOUR),
    });
    expect(backwards).toMatchObject({ init: { status: 400 } });
    expect(JSON.stringify(backwards)).toContain('"endsAt":["errors.endBeforeStart"]');
    const past = await post(staff.manager.cookie, {
      intent: 'schedule',
      startsAt: local(-3 * HOUR),
      endsAt: local(-2 * HOUR),
    });
    expect(JSON.stringify(past)).toContain('"endsAt":["errors.endInPast"]');
    const missing = await post(staff.manager.cookie, {
      intent: 'schedule',
      startsAt: '2026-02-30T10:00',
    });
    expect(JSON.stringify(missing)).toContain('"startsAt":["errors.dateTime"]');
    expect(JSON.stringify(missing)).toContain('"endsAt":["errors.endRequired"]');
    expect(await maintenanceWindowsBy(db(), staff.manager.accountId)).toEqual([]);
  });

  it('schedules a window in Japan time (audited), lists it and cancels it (audited)', async () => {
    const startsAt = local(24 * HOUR);
    const done = await post(staff.manager.cookie, {
      intent: 'schedule',
      startsAt,
      endsAt: local(26 * HOUR),
      messageJa: 'システム更新のため',
      messageEn: 'System update',
    });
    expect(done).toMatchObject({ done: 'scheduled' });
    const [window] = await maintenanceWindowsBy(db(), staff.manager.accountId);
    expect(toTokyoDateTimeLocal(window!.startsAt)).toBe(startsAt);
    const page = (await route.load(staff.manager.cookie)) as Awaited<ReturnType<typeof loader>>;
    expect(page.windows.find((w) => w.id === window!.id)).toMatchObject({
      state: 'planned',
      messageEn: 'System update',
    });
    expect(await post(staff.manager.cookie, { intent: 'cancel', id: window!.id })).toMatchObject({
      data: { done: 'cancelled' },
    });
    const again = await post(staff.manager.cookie, { intent: 'cancel', id: window!.id });
    expect(again).toMatchObject({ init: { status: 409 } });
    expect(
      (
        await auditEntries(db(), { actorId: staff.manager.accountId, actionPrefix: 'maintenance.' })
      ).map((e) => [e.action, e.targetId]),
    ).toEqual([
      ['maintenance.schedule', window!.id],
      ['maintenance.cancel', window!.id],
    ]);
  });
});

describe('the banner on every page', () => {
  const bannerOf = async (lang: 'ja' | 'en') => {
    const data = await rootLoader(
      loaderArgs(routeContext(db()), { path: `/${lang}/notices`, params: { lang } }),
    );
    return (data as unknown as { data: { maintenance: unknown } }).data.maintenance;
  };

  it('announces a window from 72 hours ahead, in the reader’s language, and not after a cancel', async () => {
    const far = await scheduleMaintenance(db(), actor(), {
      startsAt: new Date(Date.now() + 100 * HOUR),
      endsAt: new Date(Date.now() + 101 * HOUR),
      messageJa: '',
      messageEn: '',
    });
    expect(await bannerOf('en')).toBeNull();
    const near = await scheduleMaintenance(db(), actor(), {
      startsAt: new Date(Date.now() + 48 * HOUR),
      endsAt: new Date(Date.now() + 50 * HOUR),
      messageJa: '更新作業',
      messageEn: 'Upgrade',
    });
    expect(await bannerOf('en')).toMatchObject({
      now: false,
      message: 'Upgrade',
      range: expect.stringMatching(/ to /),
    });
    expect(await bannerOf('ja')).toMatchObject({
      message: '更新作業',
      range: expect.stringMatching(/〜/),
    });
    await cancelMaintenance(db(), actor(), near);
    await cancelMaintenance(db(), actor(), far);
    expect(await bannerOf('en')).toBeNull();
  });
});

describe('the HTTP front during a window', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const app = express();
    app.use(maintenanceGate(db()));
    app.use((_req, res) => void res.status(200).type('text/plain').send('served'));
    server = await serve(app);
  });
  afterAll(() => server.close());

  it('answers residents’ pages 503 with a page and the API 503 problem+json, both with Retry-After; staff and health stay open', async () => {
    const get = (p: string, headers: Record<string, string> = {}) =>
      fetch(`${server.origin}${p}`, { headers, redirect: 'manual' });
    expect((await get('/ja/notices')).status).toBe(200);

    const id = await scheduleMaintenance(db(), actor(), {
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 2 * HOUR),
      messageJa: 'データベースの更新',
      messageEn: 'Database upgrade',
    });
    try {
      const page = await get('/en/notices');
      expect(page.status).toBe(503);
      const retry = Number(page.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(2 * 3600 - 60);
      expect(retry).toBeLessThanOrEqual(2 * 3600);
      const html = await page.text();
      expect(html).toContain('<html lang="en"');
      expect(html).toContain('Madoguchi is under maintenance');
      expect(html).toContain('Database upgrade');
      expect(html).not.toContain('<script');
      const ja = await get('/', { 'accept-language': 'ja' });
      expect(ja.status).toBe(503);
      expect(await ja.text()).toContain('データベースの更新');

      const api = await get('/api/v1/notices', { 'accept-language': 'en' });
      expect(api.status).toBe(503);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await api.json()).toMatchObject({
        type: 'urn:madoguchi:problem:maintenance',
        status: 503,
        title: 'Madoguchi is under maintenance',
      });
      const posted = await fetch(`${server.origin}/api/v1/todos`, { method: 'POST' });
      expect(posted.status).toBe(503);

      for (const open of [
        '/ja/admin',
        '/en/admin/maintenance',
        '/ja/admin.data',
        '/ja/admin/sign-in',
        '/ja/session',
        '/healthz',
        '/readyz',
        '/metrics',
        '/build/entry.client-ABC.js',
        '/browser-errors',
      ])
        expect((await get(open)).status, open).toBe(200);
    } finally {
      await cancelMaintenance(db(), actor(), id);
    }
    expect((await get('/en/notices')).status).toBe(200);
    expect((await get('/api/v1/notices')).status).toBe(200);
  });
});
