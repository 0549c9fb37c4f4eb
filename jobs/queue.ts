import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from '../app/platform/logger.server.ts';
import type { AnyQueue, QueueDefinition } from './enqueue.ts';

/**
 * The work of one queue. A handler module exports a factory that takes exactly the
 * dependencies its work needs (`pushBatchHandler({ db, boss, push })`); jobs/worker.ts wires
 * them at start, so a missing dependency is a type error, not a failure at the first job.
 */
export type JobHandler<Payload> = {
  queue: QueueDefinition<Payload>;
  /** Jobs come in arrays (batchSize); `log` is the process log with the queue's name. */
  handle(jobs: Job<Payload>[], log: Logger): Promise<void>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = JobHandler<any>;

export function handleQueue<Payload>(
  queue: QueueDefinition<Payload>,
  handle: JobHandler<Payload>['handle'],
): JobHandler<Payload> {
  return { queue, handle };
}

export const deadLetterName = (queue: string) => `${queue}.dead`;

/**
 * Creates the queue (and its dead-letter queue) before anything is sent to it.
 * createQueue is idempotent, and updateQueue applies changed options to an existing queue.
 */
export async function createQueue(boss: PgBoss, definition: AnyQueue): Promise<void> {
  const dead = deadLetterName(definition.name);
  if (!(await boss.getQueue(dead)))
    await boss.createQueue(dead, { retentionSeconds: 30 * 24 * 3600 });
  const options = { ...definition.options, deadLetter: dead };
  if (await boss.getQueue(definition.name)) await boss.updateQueue(definition.name, options);
  else await boss.createQueue(definition.name, options);
}
