import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { sql } from 'kysely';
import { useTestDatabase } from '../test/database.ts';
import { startBoss } from './boss.ts';
import { defineQueue, deadLetterName, enqueue } from './queue.ts';
import { createQueues, startWorkers } from './worker.ts';
import { createLogger } from '../app/platform/logger.server.ts';

const database = useTestDatabase();
const log = createLogger('silent');

describe('jobs enqueued inside a transaction', () => {
  const handled: string[] = [];
  const queue = defineQueue({
    name: 'test.transactional',
    payload: z.object({ marker: z.string() }),
    options: { retryLimit: 0 },
    batchSize: 10,
    localConcurrency: 1,
    async handle(jobs) {
      for (const job of jobs) handled.push(job.data.marker);
    },
  });
  let boss: PgBoss;

  beforeAll(async () => {
    boss = await startBoss(database.connection.sql, log, { supervise: false });
    await createQueues(boss, [queue]);
    await startWorkers(boss, [queue], { db: database.connection.db, boss, log });
  });
  afterAll(async () => {
    await boss.stop({ graceful: false });
  });

  it('creates the queue with a dead-letter queue and a retry policy', async () => {
    const created = await boss.getQueue(queue.name);
    expect(created?.deadLetter).toBe(deadLetterName(queue.name));
    expect(await boss.getQueue(deadLetterName(queue.name))).not.toBeNull();
  });

  it('never runs a job whose transaction rolled back, and runs one that committed', async () => {
    const { db } = database.connection;
    let rolledBackId: string | null = null;
    await expect(
      db.transaction().execute(async (trx) => {
        rolledBackId = await enqueue(boss, trx, queue, { marker: 'rolled-back' });
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');
    expect(rolledBackId).toBeTruthy();

    const committedId = await db
      .transaction()
      .execute((trx) => enqueue(boss, trx, queue, { marker: 'committed' }));

    await expect.poll(() => handled, { timeout: 15_000, interval: 100 }).toContain('committed');
    expect(handled).not.toContain('rolled-back');
    const rows = await sql<{
      id: string;
    }>`select id::text from pgboss.job where name = ${queue.name}`.execute(db);
    const ids = rows.rows.map((r) => r.id);
    expect(ids).toContain(committedId);
    expect(ids).not.toContain(rolledBackId);
  });

  it('refuses a payload that does not match the queue schema, before anything is written', async () => {
    const { db } = database.connection;
    await expect(
      db
        .transaction()
        .execute((trx) =>
          enqueue(boss, trx, queue, { marker: 42 } as unknown as { marker: string }),
        ),
    ).rejects.toThrow();
  });
});
