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
