import { fromKysely, type JobInsert, type PgBoss, type Queue, type SendOptions } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';

/**
 * A queue as its domain declares it, beside the domain's code (`app/push/push.queues.ts`):
 * name, payload schema and options. The work lives in jobs/handlers/; a domain only sends.
 */
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
};

/** Any queue, whatever its payload: the lists every process creates at start. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueue = QueueDefinition<any>;

export function defineQueue<Payload>(
  definition: QueueDefinition<Payload>,
): QueueDefinition<Payload> {
  return definition;
}

/**
 * Sends one job inside the caller's transaction: the job exists only if the transaction
 * commits, so a row and the work it needs are never separated. The payload is checked
 * against the queue's schema first; a bad one throws and nothing is written.
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

/** One job of `enqueueMany`: its payload and, optionally, when it may start. */
export type JobToInsert<Payload> = { data: Payload } & Pick<
  JobInsert,
  'startAfter' | 'singletonKey'
>;

/** Jobs per insert statement (pg-boss inserts a chunk as one statement). */
const INSERT_CHUNK = 5000;

/**
 * Sends many jobs inside the caller's transaction, each payload checked first: one bad
 * payload throws before anything is written, so the batch goes in whole or not at all.
 */
export async function enqueueMany<Payload>(
  boss: PgBoss,
  trx: Transaction<Database>,
  definition: QueueDefinition<Payload>,
  jobs: readonly JobToInsert<Payload>[],
): Promise<void> {
  const checked = jobs.map((job) => ({
    ...job,
    data: definition.payload.parse(job.data) as object,
  }));
  for (let from = 0; from < checked.length; from += INSERT_CHUNK)
    await boss.insert(definition.name, checked.slice(from, from + INSERT_CHUNK), {
      db: fromKysely(trx),
    });
}
