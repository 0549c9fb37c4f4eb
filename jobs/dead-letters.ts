import { fromKysely, type PgBoss } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deadLetterName } from './queue.ts';

/**
 * Sends one dead letter of `queue` back to it and deletes it from the dead letters, inside the
 * caller's transaction: both happen or neither. Null when the job is no longer a waiting dead
 * letter (a second submit of the same retry waits for the first's row lock, then finds none).
 * The payload was checked against the queue's schema when it was first sent.
 */
export async function resendDeadLetter(
  boss: PgBoss,
  trx: Transaction<Database>,
  queue: string,
  jobId: string,
): Promise<{ deadJobId: string; jobId: string } | null> {
  const db = fromKysely(trx);
  const dead = deadLetterName(queue);
  const [job] = await boss.findJobs<object>(dead, { id: jobId, queued: true, db });
  if (!job) return null;
  const deleted = (await boss.deleteJob(dead, job.id, { db })) as { affected?: number };
  if (deleted.affected !== 1) return null;
  const sent = await boss.send(queue, job.data, { db });
  if (!sent) throw new Error(`the queue ${queue} refused the retried job`);
  return { deadJobId: job.id, jobId: sent };
}
