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
  /** A timetable set by configuration (UTC cron), instead of the queue's own `schedule`. */
  schedule?: string;
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
 * The work of a queue's dead letters: jobs that failed every retry, or whose worker died on
 * the last one (pg-boss moves an expired job there too). A domain uses it to record what
 * never happened, e.g. an import whose reading stopped, instead of leaving it "in progress".
 * The dead-letter queue is created with its queue (createQueue), so it is never created here.
 */
export function handleDeadLetters<Payload>(
  queue: QueueDefinition<Payload>,
  handle: JobHandler<Payload>['handle'],
): JobHandler<Payload> {
  const dead = { ...queue, name: deadLetterName(queue.name), batchSize: 1, localConcurrency: 1 };
  delete dead.schedule;
  return { queue: dead, handle };
}

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
