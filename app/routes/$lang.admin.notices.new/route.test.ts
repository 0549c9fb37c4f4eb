import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntriesAbout,
  noticesWithKey,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { startBoss } from '../../../jobs/boss.ts';
import { createQueues } from '../../../jobs/worker.ts';
import { queues } from '../../../jobs/queues.ts';
import { createLogger } from '../../platform/logger.server.ts';
import { action } from './route.tsx';

/**
 * The staff compose page's action, called directly with a real database and a real pg-boss:
 * the pattern for staff pages (the permission, the form, what is stored, audited and queued).
 */
const database = useTestDatabase();
const db = () => database.connection.db;
let boss: PgBoss;

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueues(boss, queues);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

const form = (idempotencyKey: string, overrides: Record<string, string> = {}) => ({
  intent: 'publish',
  idempotencyKey,
  sender: 'municipality',
  titleJa: '窓口の臨時休業',
  bodyJa: '12月28日は休業します。',
  titleEn: '',
  bodyEn: '',
  audience: 'all',
  publishWhen: 'now',
  ...overrides,
});

describe('compose notice action', () => {
  it('refuses staff without notices:write (403) and stores nothing', async () => {
    const reader = await staffWithSession(db(), ['delivery:read']);
    const key = randomUUID();
    const response = await settle(() =>
      action(
        actionArgs(routeContext(db(), boss), {
          path: '/en/admin/notices/new',
          params: { lang: 'en' },
          cookie: reader.cookie,
          form: form(key),
        }),
      ),
    );
    expect(response instanceof Response && response.status).toBe(403);
    expect(await noticesWithKey(db(), key)).toEqual([]);
  });

  it('answers a bad form with field errors (400) and stores nothing', async () => {
    const writer = await staffWithSession(db(), ['notices:write']);
    const key = randomUUID();
    const result = await settle(() =>
      action(
        actionArgs(routeContext(db(), boss), {
          path: '/en/admin/notices/new',
          params: { lang: 'en' },
          cookie: writer.cookie,
          form: form(key, { titleJa: '', sender: 'nobody' }),
        }),
      ),
    );
    // Remix's data() wraps the body with its status.
    expect(result).toMatchObject({ init: { status: 400 } });
    const errors = (result as { data: { result: { error: Record<string, string[]> } } }).data.result
      .error;
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['titleJa', 'sender']));
    expect(await noticesWithKey(db(), key)).toEqual([]);
  });

  it('publishes once for a double submit, audits it and asks for its pushes in the same transaction', async () => {
    const writer = await staffWithSession(db(), ['notices:write']);
    const key = randomUUID();
    const submit = () =>
      settle(() =>
        action(
          actionArgs(routeContext(db(), boss), {
            path: '/ja/admin/notices/new',
            params: { lang: 'ja' },
            cookie: writer.cookie,
            form: form(key),
          }),
        ),
      );
    const [first, second] = await Promise.all([submit(), submit()]);
    const notices = await noticesWithKey(db(), key);
    expect(notices).toEqual([
      { id: expect.any(String), titleJa: '窓口の臨時休業', createdBy: writer.accountId },
    ]);
    const id = notices[0]!.id;
    for (const response of [first, second]) {
      expect(response instanceof Response && response.status).toBe(302);
      expect((response as Response).headers.get('location')).toBe(
        `/ja/admin/notices/${id}?published=1`,
      );
    }
    const audits = await auditEntriesAbout(db(), id);
    expect(audits).toEqual([
      { action: 'notice.publish', actorId: writer.accountId, outcome: 'success' },
    ]);
    const jobs = await boss.findJobs('push.plan', { data: { noticeId: id } });
    expect(jobs).toHaveLength(1);
  });
});
