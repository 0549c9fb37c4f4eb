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

/**
 * Every minute: end the waitlist's offers whose time is up (their places go to the next in
 * line) and offer free places of slots with a line (decision 0054). Two workers never end one
 * offer twice: each is ended under its row lock, the other skips it.
 */
export const bookingWaitlistQueue = defineQueue({
  name: 'reservations.waitlist',
  payload: z.object({}),
  options: { retryLimit: 3, retryDelay: 30, expireInSeconds: 5 * 60 },
  schedule: '* * * * *',
  batchSize: 1,
  localConcurrency: 1,
});
