import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../test/database.ts';
import { startBoss } from './boss.ts';
import { createQueue } from './queue.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { defineQueue, enqueue, enqueueMany } from './enqueue.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const queue = defineQueue({
  name: 'test.seam',
  payload: z.object({ id: z.string().uuid(), n: z.number().int() }),
  options: { retryLimit: 0 },
  batchSize: 1,
  localConcurrency: 1,
});
const id = '7c1f3a52-5a3e-4c1b-9d3e-0f6a1b2c3d4e';

let boss: PgBoss;
beforeAll(async () => {
  // No workers: whatever is sent stays in pgboss.job to be counted.
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueue(boss, queue);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

async function queued(): Promise<{ n: number; startAfter: Date }[]> {
  const result = await sql<{ n: number; startAfter: Date }>`
    select (data->>'n')::int as n, start_after from pgboss.job
    where name = ${queue.name} order by (data->>'n')::int`.execute(db());
  return result.rows;
}
const clear = () => sql`delete from pgboss.job where name = ${queue.name}`.execute(db());

describe('enqueue: one job, in the caller transaction, payload checked', () => {
  it('refuses a payload its queue does not accept, and nothing is queued', async () => {
    await clear();
    const bad = { id: 'not-a-uuid', n: 1 };
    await expect(
      db()
        .transaction()
        .execute((trx) => enqueue(boss, trx, queue, bad)),
    ).rejects.toThrow(z.ZodError);
    // Even when the caller swallows the error and commits, nothing was written.
    await db()
      .transaction()
      .execute(async (trx) => {
        await enqueue(boss, trx, queue, { id, n: 1.5 }).catch(() => null);
      });
    expect(await queued()).toEqual([]);
  });

  it('leaves no job when the transaction rolls back, and exactly one when it commits', async () => {
    await clear();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          expect(await enqueue(boss, trx, queue, { id, n: 1 })).toBeTruthy();
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    expect(await queued()).toEqual([]);

    const later = new Date(Date.now() + 3_600_000);
    await db()
      .transaction()
      .execute((trx) => enqueue(boss, trx, queue, { id, n: 2 }, { startAfter: later }));
    const rows = await queued();
    expect(rows.map((r) => r.n)).toEqual([2]);
    expect(Math.abs(rows[0]!.startAfter.getTime() - later.getTime())).toBeLessThan(1000);
  });
});

describe('enqueueMany: many jobs, all checked before any is written', () => {
  it('refuses the whole set when one payload is bad', async () => {
    await clear();
    const jobs = [{ data: { id, n: 1 } }, { data: { id, n: -0.5 } }, { data: { id, n: 3 } }];
    await expect(
      db()
        .transaction()
        .execute((trx) => enqueueMany(boss, trx, queue, jobs)),
    ).rejects.toThrow(z.ZodError);
    expect(await queued()).toEqual([]);
  });

  it('leaves nothing after a rollback, and every job (past one insert chunk) after a commit', async () => {
    await clear();
    const jobs = Array.from({ length: 5003 }, (_, n) => ({ data: { id, n } }));
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await enqueueMany(boss, trx, queue, jobs);
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    expect(await queued()).toEqual([]);

    const at = new Date(Date.now() + 86_400_000);
    await db()
      .transaction()
      .execute((trx) =>
        enqueueMany(
          boss,
          trx,
          queue,
          jobs.map((job) => ({ ...job, startAfter: at })),
        ),
      );
    const rows = await queued();
    expect(rows.map((r) => r.n)).toEqual(jobs.map((j) => j.data.n));
    expect(rows.every((r) => Math.abs(r.startAfter.getTime() - at.getTime()) < 1000)).toBe(true);
  });
});
