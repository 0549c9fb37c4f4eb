import { z } from 'zod';
import { defineQueue, type JobContext } from '../queue.ts';
import {
  planCampaign,
  PUSH_BATCH_QUEUE,
  PUSH_PLAN_QUEUE,
} from '../../app/push/campaign.service.server.ts';
import { runBatch } from '../../app/push/fanout.server.ts';

function pushRuntime(context: JobContext) {
  if (!context.push) throw new Error('push jobs need the push runtime in their context');
  return context.push;
}

/** A published notice: plan its fan-out (once; a retry finds the campaign and stops). */
export const pushPlan = defineQueue({
  name: PUSH_PLAN_QUEUE,
  payload: z.object({ noticeId: z.string().uuid() }),
  options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 30 * 60 },
  batchSize: 1,
  localConcurrency: 1,
  async handle(jobs, context) {
    const push = pushRuntime(context);
    for (const job of jobs) {
      const planned = await planCampaign(context.db, context.boss, job.data.noticeId, {
        now: push.now(),
        windowHours: push.config.windowHours,
        quiet: push.config.quiet,
        batchSize: push.config.batchSize,
      });
      context.log.info({ notice: job.data.noticeId, ...planned }, 'push fan-out planned');
    }
  },
});

/**
 * One batch of a fan-out. The heartbeat lets pg-boss notice a worker that died: its job is
 * failed and retried, and the retry continues from the batch's checkpoint.
 */
export const pushBatch = defineQueue({
  name: PUSH_BATCH_QUEUE,
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
  async handle(jobs, context) {
    const push = pushRuntime(context);
    for (const job of jobs) {
      const result = await runBatch({ ...context, push }, job.data.campaignId, job.data.seq);
      context.log.debug({ ...job.data, result }, 'push batch');
    }
  },
});
