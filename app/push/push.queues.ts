import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/** A published notice: plan its fan-out (once; a retry finds the campaign and stops). */
export const pushPlanQueue = defineQueue({
  name: 'push.plan',
  payload: z.object({ noticeId: z.string().uuid() }),
  options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 30 * 60 },
  batchSize: 1,
  localConcurrency: 1,
});

/**
 * One batch of a fan-out. The heartbeat lets pg-boss notice a worker that died: its job is
 * failed and retried, and the retry continues from the batch's checkpoint.
 */
export const pushBatchQueue = defineQueue({
  name: 'push.batch',
  payload: z.object({ campaignId: z.string().uuid(), seq: z.number().int().min(0) }),
  options: {
    retryLimit: 20,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 300,
    heartbeatSeconds: 10,
    expireInSeconds: 3600,
  },
  batchSize: 1,
  localConcurrency: 4,
});
