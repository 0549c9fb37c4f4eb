import type { AnyQueue } from './enqueue.ts';
import { identityCleanupQueue } from '../app/identity/identity.queues.ts';
import { pushBatchQueue, pushPlanQueue } from '../app/push/push.queues.ts';
import { targetImportQueue } from '../app/targets/targets.queues.ts';
import { mailSendQueue, mailSweepQueue } from '../app/mail/mail.queues.ts';
import { bookingRemindersQueue } from '../app/reservations/reservations.queues.ts';
import { bookingWaitlistQueue } from '../app/reservations/reservations.queues.ts';
import { credentialRevokedPushQueue } from '../app/credentials/credentials.queues.ts';
import { backupDailyQueue, verifyBackupQueue } from '../app/operations/backup.queues.ts';
import { operationsReportQueue } from '../app/operations/report.queues.ts';

/**
 * Every queue, declared beside its domain. Every process role creates them all at start
 * (createQueues), since a web-only process sends to them too; each has one handler
 * (jobHandlers in worker.ts).
 */
export const queues: readonly AnyQueue[] = [
  identityCleanupQueue,
  pushPlanQueue,
  pushBatchQueue,
  targetImportQueue,
  mailSendQueue,
  mailSweepQueue,
  bookingRemindersQueue,
  bookingWaitlistQueue,
  credentialRevokedPushQueue,
  backupDailyQueue,
  verifyBackupQueue,
  operationsReportQueue,
];
