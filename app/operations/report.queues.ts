import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * The daily operations report (and on Mondays the weekly summary), every day at 00:20
 * Asia/Tokyo (15:20 UTC): yesterday is over and its page views and requests were written.
 * Running it twice stores the same report again.
 */
export const operationsReportQueue = defineQueue({
  name: 'operations.report',
  payload: z.object({}),
  options: { retryLimit: 3, retryDelay: 300 },
  batchSize: 1,
  localConcurrency: 1,
  schedule: '20 15 * * *',
});
