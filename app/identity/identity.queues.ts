import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * Hourly housekeeping of sign-in data (challenges, throttles, old sessions); the work is in
 * jobs/handlers/identity-cleanup.ts. Nothing sends to it: pg-boss's timetable does.
 */
export const identityCleanupQueue = defineQueue({
  name: 'identity.cleanup',
  payload: z.object({}).passthrough(),
  options: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
  schedule: '17 * * * *',
  batchSize: 1,
  localConcurrency: 1,
});
