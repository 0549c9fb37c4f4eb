import type { PgBoss } from 'pg-boss';
import { createQueue, type JobContext, type QueueDefinition } from './queue.ts';

/**
 * Creates every queue, then works them. Handlers take arrays; a thrown error fails the whole
 * batch, which pg-boss retries with backoff and finally moves to the dead-letter queue.
 */
export async function startWorkers(
  boss: PgBoss,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definitions: readonly QueueDefinition<any>[],
  context: JobContext,
): Promise<void> {
  for (const definition of definitions) {
    await createQueue(boss, definition);
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
