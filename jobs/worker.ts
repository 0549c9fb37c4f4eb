import { join, resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/connection.ts';
import type { Logger } from '../app/platform/logger.server.ts';
import type { AnyQueue } from './enqueue.ts';
import type { PushRuntime } from '../app/push/runtime.server.ts';
import type { MailSender } from '../app/mail/transport.server.ts';
import { createQueue, type AnyHandler } from './queue.ts';
import { identityCleanupHandler } from './handlers/identity-cleanup.ts';
import { pushBatchHandler, pushPlanHandler } from './handlers/push.ts';
import { targetImportDeadHandler, targetImportHandler } from './handlers/targets-import.ts';
import { mailSendHandler, mailSweepHandler } from './handlers/mail.ts';
import { bookingRemindersHandler } from './handlers/booking-reminders.ts';
import { bookingWaitlistHandler } from './handlers/booking-waitlist.ts';
import { credentialRevokedPushHandler } from './handlers/credentials-revoked-push.ts';
import type { Env } from '../app/env.server.ts';
import { jobOutcomes } from '../app/operations/metrics.server.ts';
import { backupDailyHandler, verifyBackupHandler, type BackupDeps } from './handlers/backup.ts';
import { operationsReportHandler } from './handlers/operations-report.ts';

/** Everything a worker process can give its handlers, built once at start. */
export type WorkerDeps = {
  db: Db;
  boss: PgBoss;
  push: PushRuntime;
  mail: MailSender;
  /** The base of links in emails. */
  publicOrigin: string;
  /** The settings the handlers read (the data folder of the backup verification). */
  env: Env;
  backups: BackupDeps;
};

/** One handler per queue of jobs/queues.ts, each given exactly what it declares it needs. */
export function jobHandlers({
  db,
  boss,
  push,
  mail,
  publicOrigin,
  env,
  backups,
}: WorkerDeps): AnyHandler[] {
  return [
    identityCleanupHandler({ db }),
    pushPlanHandler({ db, boss, push }),
    pushBatchHandler({ db, boss, push }),
    targetImportHandler({ db }),
    targetImportDeadHandler({ db }),
    mailSendHandler({ db, mail }),
    mailSweepHandler({ db, boss }),
    bookingRemindersHandler({ db, boss, publicOrigin }),
    bookingWaitlistHandler({ db, boss, publicOrigin }),
    credentialRevokedPushHandler({ db, push }),
    backupDailyHandler({ ...backups, db }),
    verifyBackupHandler({
      ...backups,
      db,
      secretsFile: join(resolve(env.MADOGUCHI_DATA_DIR), 'secrets.json'),
    }),
    operationsReportHandler({ db, boss, publicOrigin }),
  ];
}

/**
 * Creates (or updates) every queue and its dead-letter queue. Every process role calls this at
 * start: a web-only process sends jobs from its transactions, and pg-boss refuses a send to a
 * queue that does not exist yet, whichever process happens to start first on a new database.
 */
export async function createQueues(boss: PgBoss, definitions: readonly AnyQueue[]): Promise<void> {
  for (const definition of definitions) await createQueue(boss, definition);
}

/**
 * Works every handler's queue (created beforehand by createQueues) and keeps the timetables
 * of the scheduled ones. Payloads are checked again on the way out; a thrown error fails the
 * whole batch, which pg-boss retries with backoff and finally moves to the dead-letter queue.
 */
export async function startWorkers(
  boss: PgBoss,
  handlers: readonly AnyHandler[],
  log: Logger,
): Promise<void> {
  for (const { queue, schedule = queue.schedule } of handlers) {
    if (schedule) await boss.schedule(queue.name, schedule, {}, { tz: 'UTC' });
  }
  for (const { queue, handle } of handlers) {
    await boss.work(
      queue.name,
      {
        batchSize: queue.batchSize,
        localConcurrency: queue.localConcurrency,
        burstWhenBatchFull: queue.batchSize > 1,
        pollingIntervalSeconds: 1,
      },
      async (jobs) => {
        const queueLog = log.child({ queue: queue.name });
        const parsed = jobs.map((job) => ({ ...job, data: queue.payload.parse(job.data) }));
        try {
          await handle(parsed, queueLog);
          jobOutcomes.inc({ queue: queue.name, outcome: 'completed' }, jobs.length);
        } catch (error) {
          jobOutcomes.inc({ queue: queue.name, outcome: 'failed' }, jobs.length);
          queueLog.error({ err: error, jobs: jobs.map((j) => j.id) }, 'job batch failed');
          throw error;
        }
      },
    );
  }
}
