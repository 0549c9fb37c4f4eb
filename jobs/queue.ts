import { fromKysely, type Job, type PgBoss, type Queue, type SendOptions } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { Db } from '../db/connection.ts';
import type { Logger } from '../app/platform/logger.server.ts';
import type { PushRuntime } from '../app/push/runtime.server.ts';

/** What every handler gets besides its jobs. */
export type JobContext = { db: Db; boss: PgBoss; log: Logger; push?: PushRuntime };

export type QueueDefinition<Payload> = {
  name: string;
  /** Payloads carry ids only; the handler re-reads rows and skips work already done. */
  payload: z.ZodType<Payload>;
  options: Omit<Queue, 'name' | 'deadLetter'>;
  /** A cron expression (UTC) when the queue runs on a timetable, e.g. hourly housekeeping. */
  schedule?: string;
  /** Jobs fetched per call (handlers always take an array). */
  batchSize: number;
  localConcurrency: number;
  handle(jobs: Job<Payload>[], context: JobContext): Promise<void>;
};

export function defineQueue<Payload>(
  definition: QueueDefinition<Payload>,
): QueueDefinition<Payload> {
  return definition;
}

export const deadLetterName = (queue: string) => `${queue}.dead`;

/** Default policy: a few retries with exponential backoff, then the dead-letter queue. */
export const defaultQueueOptions = {
  retryLimit: 5,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 15 * 60,
  expireInSeconds: 15 * 60,
} satisfies Omit<Queue, 'name'>;

/**
 * Creates the queue (and its dead-letter queue) before anything is sent to it.
 * createQueue is idempotent, and updateQueue applies changed options to an existing queue.
 */
export async function createQueue(
  boss: PgBoss,
  definition: QueueDefinition<unknown>,
): Promise<void> {
  const dead = deadLetterName(definition.name);
  if (!(await boss.getQueue(dead)))
    await boss.createQueue(dead, { retentionSeconds: 30 * 24 * 3600 });
  const options = { ...definition.options, deadLetter: dead };
  if (await boss.getQueue(definition.name)) await boss.updateQueue(definition.name, options);
  else await boss.createQueue(definition.name, options);
}

/**
 * Enqueues inside the caller's transaction: the job exists only if the transaction commits,
 * so a row and the work it needs are never separated.
 */
export async function enqueue<Payload>(
  boss: PgBoss,
  trx: Transaction<Database>,
  definition: QueueDefinition<Payload>,
  payload: Payload,
  options: Omit<SendOptions, 'db'> = {},
): Promise<string | null> {
  const data = definition.payload.parse(payload) as object;
  return boss.send(definition.name, data, { ...options, db: fromKysely(trx) });
}
