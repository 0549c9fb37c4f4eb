import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * The daily base backup and retention (decision 0061). Scheduled at MADOGUCHI_BACKUP_TIME
 * (Asia/Tokyo): the handler gives this queue its cron (jobs/handlers/backup.ts), since the
 * time is a setting. A failed run is retried twice, ten minutes apart; a big cluster may take
 * hours to copy, hence the long expiry.
 */
export const backupDailyQueue = defineQueue({
  name: 'operations.backup',
  payload: z.object({}),
  options: { retryLimit: 2, retryDelay: 600, expireInSeconds: 6 * 3600 },
  batchSize: 1,
  localConcurrency: 1,
});

/**
 * The weekly restore check (decision 0064): the newest base backup restored into a temporary
 * folder, started and read. Sundays 03:30 Asia/Tokyo (Saturday 18:30 UTC), away from the
 * daily backup; the handler schedules it only when backups are on. Not retried: a failure is
 * recorded and shown, and the next week tries again (or an operator runs it sooner).
 */
export const verifyBackupQueue = defineQueue({
  name: 'operations.verify-backup',
  payload: z.object({}),
  options: { retryLimit: 0, expireInSeconds: 6 * 3600 },
  batchSize: 1,
  localConcurrency: 1,
});

/** Sunday 03:30 Asia/Tokyo as a UTC cron. */
export const VERIFY_BACKUP_CRON_UTC = '30 18 * * 6';
