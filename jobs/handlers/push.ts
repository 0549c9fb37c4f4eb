import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { pushBatchQueue, pushPlanQueue } from '../../app/push/push.queues.ts';
import { planCampaign } from '../../app/push/campaign.service.server.ts';
import { runBatch } from '../../app/push/fanout.server.ts';
import type { PushRuntime } from '../../app/push/runtime.server.ts';
import { handleQueue } from '../queue.ts';

/** What the push jobs need: the database, the queue (they send batches) and the senders. */
export type PushJobDeps = { db: Db; boss: PgBoss; push: PushRuntime };

export const pushPlanHandler = ({ db, boss, push }: PushJobDeps) =>
  handleQueue(pushPlanQueue, async (jobs, log) => {
    for (const job of jobs) {
      const planned = await planCampaign(db, boss, job.data.noticeId, {
        now: push.now(),
        windowHours: push.config.windowHours,
        quiet: push.config.quiet,
        batchSize: push.config.batchSize,
      });
      log.info({ notice: job.data.noticeId, ...planned }, 'push fan-out planned');
    }
  });

export const pushBatchHandler = ({ db, boss, push }: PushJobDeps) =>
  handleQueue(pushBatchQueue, async (jobs, log) => {
    for (const job of jobs) {
      const result = await runBatch({ db, boss, log, push }, job.data.campaignId, job.data.seq);
      log.debug({ ...job.data, result }, 'push batch');
    }
  });
