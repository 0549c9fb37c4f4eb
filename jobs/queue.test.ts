import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../test/database.ts';
import { startBoss } from './boss.ts';
import { deadLetterName, handleQueue } from './queue.ts';
import { createQueues, jobHandlers, startWorkers } from './worker.ts';
import { queues } from './queues.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { defineQueue, enqueue } from './enqueue.ts';
import { parseEnv } from '../app/env.server.ts';
import type { MailSender } from '../app/mail/transport.server.ts';
import type { PushRuntime } from '../app/push/runtime.server.ts';
import type { Secrets } from '../app/platform/secrets.server.ts';

const database = useTestDatabase();
const log = createLogger('silent');

describe('a worker', () => {
  const handled: string[] = [];
  const queue = defineQueue({
    name: 'test.transactional',
    payload: z.object({ marker: z.string() }),
    options: { retryLimit: 0 },
    batchSize: 10,
    localConcurrency: 1,
  });
  let boss: PgBoss;

  beforeAll(async () => {
    boss = await startBoss(database.connection.sql, log, { supervise: false });
    await createQueues(boss, [queue]);
    const handler = handleQueue(queue, async (jobs) => {
      for (const job of jobs) handled.push(job.data.marker);
    });
    await startWorkers(boss, [handler], log);
  });
  afterAll(async () => {
    await boss.stop({ graceful: false });
  });

  it('creates the queue with a dead-letter queue and a retry policy', async () => {
    const created = await boss.getQueue(queue.name);
    expect(created?.deadLetter).toBe(deadLetterName(queue.name));
    expect(await boss.getQueue(deadLetterName(queue.name))).not.toBeNull();
  });

  it('runs the job of a committed transaction and never one that rolled back', async () => {
    const { db } = database.connection;
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(boss, trx, queue, { marker: 'rolled-back' });
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');
    await db.transaction().execute((trx) => enqueue(boss, trx, queue, { marker: 'committed' }));

    await expect.poll(() => handled, { timeout: 15_000, interval: 100 }).toContain('committed');
    expect(handled).not.toContain('rolled-back');
  });
});

describe('the wiring', () => {
  it('gives every queue every process creates exactly one handler, and no handler a queue of its own', () => {
    const handlers = jobHandlers({
      db: database.connection.db,
      boss: {} as PgBoss,
      push: {} as PushRuntime,
      mail: {} as MailSender,
      publicOrigin: 'http://localhost',
      env: parseEnv({ NODE_ENV: 'test' }),
      backups: {
        sql: database.connection.sql,
        settings: parseEnv({}).backups,
        secrets: {} as Secrets,
      },
    });
    const names = (list: readonly { name: string }[]) => list.map((q) => q.name).sort();
    const dead = new Set(queues.map((q) => deadLetterName(q.name)));
    const live = handlers.filter((h) => !dead.has(h.queue.name));
    expect(names(live.map((h) => h.queue))).toEqual(names(queues));
    expect(new Set(names(queues)).size).toBe(queues.length);
    for (const handler of live) expect(queues).toContain(handler.queue);
    // A dead-letter handler works the dead letters of a queue the list creates, once.
    const deadHandlers = handlers.filter((h) => dead.has(h.queue.name));
    expect(deadHandlers.map((h) => h.queue.name)).toContain('targets.import.dead');
    expect(new Set(names(deadHandlers.map((h) => h.queue))).size).toBe(deadHandlers.length);
  });
});
