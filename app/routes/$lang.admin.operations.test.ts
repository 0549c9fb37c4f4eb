/**
 * The operations page with a real database and real pg-boss workers: a job whose handler throws
 * on every try ends in its dead-letter queue, the page shows it with its error, and a retry
 * (operations:manage, audited, once however often it is submitted) sends it back to its queue.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, routeAt, useBoss, useStaff } from '../../test/support/routes.ts';
import { defineQueue, enqueue } from '../../jobs/enqueue.ts';
import { handleQueue } from '../../jobs/queue.ts';
import { registry } from '../platform/metrics.server.ts';
import { parseEnv } from '../env.server.ts';
import { action, loader } from './$lang.admin.operations.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const PATH = '/ja/admin/operations';

const queue = defineQueue({
  name: 'test.operations-flaky',
  payload: z.object({ marker: z.string() }),
  options: { retryLimit: 1, retryDelay: 1 },
  batchSize: 1,
  localConcurrency: 1,
});

let broken = true;
const handled: string[] = [];
const workers = useBoss(database, {
  queues: [queue],
  handlers: [
    handleQueue(queue, async (jobs) => {
      if (broken) throw new Error('the printer service is down (test)');
      for (const job of jobs) handled.push(job.data.marker);
    }),
  ],
});
describe('/:lang/admin/operations', () => {
  const staff = useStaff(db, {
    reader: ['operations:read'],
    manager: ['operations:read', 'operations:manage'],
    other: ['mail:read'],
  });
  const route = routeAt(db, { path: PATH, loader, action, boss: () => workers.boss });
  type Page = {
    queues: { name: string; deadLetters: number }[];
    deadLetters: { id: string; queue: string; error: string; retries: number }[];
    canRetry: boolean;
  };

  it('shows a job that failed every retry as a dead letter, and retries it once', async () => {
    await db()
      .transaction()
      .execute((trx) => enqueue(workers.boss, trx, queue, { marker: 'letter-1' }));

    const page = async (cookie: string) => (await route.load(cookie)) as Page;
    await expect
      .poll(async () => (await page(staff.reader.cookie)).deadLetters.length, { timeout: 20_000 })
      .toBe(1);
    const shown = await page(staff.reader.cookie);
    expect(shown.canRetry).toBe(false);
    expect(shown.queues.find((q) => q.name === queue.name)?.deadLetters).toBe(1);
    const [dead] = shown.deadLetters;
    expect(dead).toMatchObject({
      queue: queue.name,
      error: 'the printer service is down (test)',
      retries: 1,
    });
    expect(await registry.getSingleMetricAsString('madoguchi_jobs_total')).toMatch(
      /madoguchi_jobs_total\{queue="test.operations-flaky",outcome="failed"\} 2/,
    );

    // Reading is not retrying.
    const form = { queue: queue.name, jobId: dead!.id };
    const refused = await route.post(staff.reader.cookie, form);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);

    broken = false;
    const retry = async () => (await route.post(staff.manager.cookie, form)) as { outcome: string };
    // A double submit: both at once, one retry.
    const outcomes = await Promise.all([retry(), retry()]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['gone', 'retried']);
    expect((await retry()).outcome).toBe('gone');

    await expect.poll(() => handled, { timeout: 20_000 }).toEqual(['letter-1']);
    expect((await page(staff.manager.cookie)).deadLetters).toEqual([]);
    const audited = await auditEntries(db(), { action: 'operations.dead_letter_retry' });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      outcome: 'success',
      targetId: dead!.id,
      details: { queue: queue.name },
    });
  });

  it('refuses staff without operations:read', async () => {
    expect(((await route.load(staff.other.cookie)) as Response).status).toBe(403);
  });

  it('shows the backups newest first, and a failed newest backup as an alert', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-ops-'));
    const backups = parseEnv({ MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI_BACKUP: 'on' }).backups;
    const withBackups = routeAt(db, {
      path: PATH,
      loader,
      boss: () => workers.boss,
      context: (base) => ({ ...base, env: { ...base.env, backups } }),
    });
    const page = async () =>
      (await withBackups.load(staff.reader.cookie)) as {
        backups: {
          lastFailed: string | null;
          tooOld: boolean;
          rows: { id: string; bytes: number }[];
        };
      };
    expect((await page()).backups).toMatchObject({ lastFailed: null, rows: [] });

    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    for (const [id, finishedAt, ok] of [
      ['20261201T180000Z', hoursAgo(30), true],
      ['20261202T180000Z', hoursAgo(6), false],
    ] as const) {
      const dir = join(backups.dir, 'base', id);
      mkdirSync(dir, { recursive: true });
      const files = [{ name: 'base.tar.zst', size: 2_500_000 }];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ id, finishedAt, files }));
      const detail = ok ? '3 files match' : 'base.tar.zst: checksum differs';
      writeFileSync(join(dir, 'verification.json'), JSON.stringify({ at: finishedAt, ok, detail }));
    }
    const shown = (await page()).backups;
    expect(shown.rows.map((r) => r.id)).toEqual(['20261202T180000Z', '20261201T180000Z']);
    expect(shown.lastFailed).toBe('base.tar.zst: checksum differs');
    // The last good one is 30 hours old.
    expect(shown.tooOld).toBe(true);
  });
});
