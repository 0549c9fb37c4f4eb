import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { pageViewsOf } from '../../test/support/maintenance.ts';
import { useServedBuild } from './served-build.test-support.ts';
import {
  cancelMaintenance,
  scheduleMaintenance,
} from '../maintenance/maintenance.service.server.ts';

/**
 * The whole HTTP front (security headers, static files, the maintenance gate, CSRF, Remix on
 * the production build) on a real database: where the gate sits among the other layers, the
 * banner a rendered page carries, and the page views the renderer counts.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const HOUR = 3_600_000;
const server = useServedBuild(database);
const get = (p: string, headers: Record<string, string> = {}) => server.get(p, headers);
let actor: { actorType: 'staff'; actorId: string; onBehalfOfResidentId: null; ip: null };

beforeAll(async () => {
  const staff = await staffWithSession(db(), ['maintenance:manage']);
  actor = { actorType: 'staff', actorId: staff.accountId, onBehalfOfResidentId: null, ip: null };
});

describe('the HTTP front and maintenance', () => {
  it('renders the banner ahead of a window and counts the page view without a query per page', async () => {
    const ahead = await scheduleMaintenance(db(), actor, {
      startsAt: new Date(Date.now() + 30 * HOUR),
      endsAt: new Date(Date.now() + 31 * HOUR),
      messageJa: '',
      messageEn: 'Ahead of time',
    });
    try {
      const before = await pageViewsOf(db(), 'routes/$lang._index');
      const page = await get('/en/');
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Maintenance: from ');
      expect(html).toContain('Ahead of time');
      // Written in a batch a few seconds later, not while the page was answered.
      await expect
        .poll(() => pageViewsOf(db(), 'routes/$lang._index'), { timeout: 10_000 })
        .toBe(before + 1);
    } finally {
      await cancelMaintenance(db(), actor, ahead);
    }
  });

  it('closes residents’ pages and the API during a window; staff sign-in, health and assets stay open', async () => {
    const now = await scheduleMaintenance(db(), actor, {
      startsAt: new Date(Date.now() - 1000),
      endsAt: new Date(Date.now() + HOUR),
      messageJa: '',
      messageEn: '',
    });
    try {
      const page = await get('/ja/');
      expect(page.status).toBe(503);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(3500);
      expect(await page.text()).toContain('ただいまメンテナンス中です');
      const api = await get('/api/v1/notices');
      expect(api.status).toBe(503);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await get('/ja/admin/sign-in')).status, 'staff sign-in').toBe(200);
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/favicon.ico')).status, 'a static file').toBe(200);
      const report = await fetch(`${server.origin}/browser-errors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'error', message: 'during maintenance', route: 'root' }),
      });
      expect(report.status).toBe(204);
    } finally {
      await cancelMaintenance(db(), actor, now);
    }
    expect((await get('/ja/')).status).toBe(200);
  });
});
