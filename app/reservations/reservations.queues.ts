import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * Every hour: queue the reminder of each booking whose appointment is tomorrow (Asia/Tokyo),
 * once the reminder hour has come. Running it again, late, or on two workers queues nothing
 * twice: each reminder's outbox key is unique (booking, slot).
 */
export const bookingRemindersQueue = defineQueue({
  name: 'reservations.reminders',
  payload: z.object({}),
  options: { retryLimit: 3, retryDelay: 60, expireInSeconds: 10 * 60 },
  schedule: '7 * * * *',
  batchSize: 1,
  localConcurrency: 1,
});
