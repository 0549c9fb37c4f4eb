import type { PgBoss } from 'pg-boss';
import { createQueue, type JobContext, type QueueDefinition } from './queue.ts';

/**
 * Creates (or updates) every queue and its dead-letter queue. Every process role calls this at
 * start: a web-only process sends jobs from its transactions, and pg-boss refuses a send to a
 * queue that does not exist yet, whichever process happens to start first on a new database.
 */
export async function createQueues(
  boss: PgBoss,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definitions: readonly QueueDefinition<any>[],
): Promise<void> {
  for (const definition of definitions) await createQueue(boss, definition);
}

/**
 * Works every queue (created beforehand by createQueues) and keeps the timetables of the
 * scheduled ones. Handlers take arrays; a thrown error fails the whole batch, which pg-boss
 * retries with backoff and finally moves to the dead-letter queue.
 */
export async function startWorkers(
  boss: PgBoss,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definitions: readonly QueueDefinition<any>[],
  context: JobContext,
): Promise<void> {
  for (const definition of definitions) {
    if (definition.schedule)
      await boss.schedule(definition.name, definition.schedule, {}, { tz: 'UTC' });
  }
  for (const definition of definitions) {
    await boss.work(
      definition.name,
      {
        batchSize: definition.batchSize,
        localConcurrency: definition.localConcurrency,
        burstWhenBatchFull: definition.batchSize > 1,
        pollingIntervalSeconds: 1,
      },
      async (jobs) => {
        const log = context.log.child({ queue: definition.name });
        const parsed = jobs.map((job) => ({ ...job, data: definition.payload.parse(job.data) }));
        try {
          await definition.handle(parsed, { ...context, log });
        } catch (error) {
          log.error({ err: error, jobs: jobs.map((j) => j.id) }, 'job batch failed');
          throw error;
        }
      },
    );
  }
}
