import type { PgBoss } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { enqueue, enqueueMany } from '../../jobs/enqueue.ts';
import { pushBatchQueue, pushPlanQueue } from './push.queues.ts';
import {
  countDevicesOf,
  findCampaignProgress,
  findNoticeToPush,
  findPendingBatches,
  insertBatches,
  insertCampaign,
  updateCampaignState,
  updatePendingBatchesToCancelled,
  type CampaignProgressRow,
} from './push.repository.server.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import { uuidRanges } from './ranges.ts';
import { nextAllowed, spreadStarts, type QuietHours } from './schedule.ts';

/**
 * Asks for the pushes of a notice, in the transaction that publishes it: the plan job exists
 * only if the notice does, and starts when the notice is published (at once, or at a
 * scheduled publish time).
 */
export async function schedulePush(
  boss: PgBoss,
  trx: Transaction<Database>,
  notice: { id: string; publishAt: Date },
): Promise<void> {
  await enqueue(
    boss,
    trx,
    pushPlanQueue,
    { noticeId: notice.id },
    { startAfter: notice.publishAt, singletonKey: notice.id },
  );
}

type PlanSettings = {
  now: Date;
  windowHours: number;
  quiet: QuietHours;
  batchSize: number;
};

/**
 * Plans a notice's fan-out once: counts the devices it reaches, cuts the registration id space
 * into batches of about `batchSize`, and spreads their start times over the delivery window
 * outside quiet hours (a broadcast), or starts at once (a targeted notice). One job per batch.
 */
export async function planCampaign(
  db: Db,
  boss: PgBoss,
  noticeId: string,
  settings: PlanSettings,
): Promise<{ campaignId: string; batches: number; devices: number } | null> {
  const notice = await findNoticeToPush(db, noticeId);
  if (!notice || notice.withdrawnAt) return null;
  if (notice.expiresAt && notice.expiresAt <= settings.now) return null;

  const devices = await countDevicesOf(db, notice);
  const broadcast = notice.kind === 'broadcast';
  const count = broadcast ? Math.max(1, Math.ceil(devices / settings.batchSize)) : 1;
  const windowStart = settings.now;
  // The window never outlasts the notice: an expired notice is not pushed.
  const windowEnd = broadcast
    ? new Date(
        Math.min(
          windowStart.getTime() + settings.windowHours * 3600_000,
          notice.expiresAt?.getTime() ?? Infinity,
        ),
      )
    : windowStart;
  const quiet = broadcast ? settings.quiet : null;
  const starts = spreadStarts(windowStart, windowEnd, quiet, count);
  const ranges = uuidRanges(count);

  return inTransaction(db, async (trx) => {
    const campaignId = await insertCampaign(trx, {
      noticeId,
      scope: broadcast ? 'broadcast' : 'targeted',
      windowStart,
      windowEnd,
      quietStart: quiet?.start ?? null,
      quietEnd: quiet?.end ?? null,
      devices,
      batches: count,
    });
    if (!campaignId) return null; // planned already (a retried plan job)
    for (let from = 0; from < count; from += 5000) {
      const rows = ranges.slice(from, from + 5000).map((range, i) => ({
        campaignId,
        seq: from + i,
        lo: range.lo,
        hi: range.hi,
        cursor: range.lo,
        dueAt: starts[from + i]!,
      }));
      await insertBatches(trx, rows);
      await enqueueMany(
        boss,
        trx,
        pushBatchQueue,
        rows.map((row) => ({ data: { campaignId, seq: row.seq }, startAfter: row.dueAt })),
      );
    }
    return { campaignId, batches: count, devices };
  });
}

// Staff controls. Each is one conditional update, so a double click changes nothing twice.

export async function pauseCampaign(db: Db, campaignId: string): Promise<boolean> {
  const paused = await updateCampaignState(db, campaignId, { from: ['running'], to: 'paused' });
  return paused !== undefined;
}

/**
 * Resumes a paused fan-out: batches whose start time passed while paused start now (outside
 * quiet hours), the others keep theirs. A batch job that is still waiting may now run twice;
 * the batch's row lock and checkpoint make the second run find nothing left to send.
 */
export async function resumeCampaign(
  db: Db,
  boss: PgBoss,
  campaignId: string,
  now: Date,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const campaign = await updateCampaignState(trx, campaignId, {
      from: ['paused'],
      to: 'running',
    });
    if (!campaign) return false;
    const quiet: QuietHours =
      campaign.quietStart === null || campaign.quietEnd === null
        ? null
        : { start: campaign.quietStart, end: campaign.quietEnd };
    const pending = await findPendingBatches(trx, campaignId);
    // Its last batch finished while it was paused: nothing is left to resume.
    if (pending.length === 0)
      await updateCampaignState(trx, campaignId, { from: ['running'], to: 'done' });
    await enqueueMany(
      boss,
      trx,
      pushBatchQueue,
      pending.map((batch) => ({
        data: { campaignId, seq: batch.seq },
        startAfter: batch.dueAt > now ? batch.dueAt : nextAllowed(now, quiet),
      })),
    );
    return true;
  });
}

/** Cancels a fan-out: nothing more is sent; what was sent stays counted. */
export async function cancelCampaign(db: Db, campaignId: string): Promise<boolean> {
  // Batches first, then the campaign: the order a finishing chunk takes its locks in (its
  // batch, then the campaign), so the two never wait on each other in a circle.
  return inTransaction(db, async (trx) => {
    await updatePendingBatchesToCancelled(trx, campaignId);
    const cancelled = await updateCampaignState(trx, campaignId, {
      from: ['running', 'paused'],
      to: 'cancelled',
    });
    return cancelled !== undefined;
  });
}

/** A campaign's figures as the dashboard reads them. */
export type CampaignProgress = Omit<CampaignProgressRow, 'totals' | 'lastDue'> & {
  sent: number;
  failed: number;
  deactivated: number;
  remaining: number;
  batchesDone: number;
  /** When the last batch is due to start, or when it finished; null once cancelled. */
  expectedFinish: Date | null;
};

/** Progress of campaigns, summed from their batches' counters. */
export async function campaignProgress(
  db: Db,
  filter: { noticeId?: string; campaignId?: string; limit?: number } = {},
): Promise<CampaignProgress[]> {
  const rows = await findCampaignProgress(db, filter);
  return rows.map(({ totals, lastDue, ...row }) => {
    const handled = totals.sent + totals.failed + totals.deactivated;
    const finished = row.state === 'done' || row.state === 'cancelled';
    return {
      ...row,
      sent: totals.sent,
      failed: totals.failed,
      deactivated: totals.deactivated,
      remaining: finished ? 0 : Math.max(0, row.devices - handled),
      batchesDone: totals.done,
      expectedFinish:
        row.state === 'done'
          ? row.finishedAt
          : row.state === 'cancelled'
            ? null
            : lastDue
              ? new Date(Math.max(lastDue.getTime(), Date.now()))
              : null,
    };
  });
}
