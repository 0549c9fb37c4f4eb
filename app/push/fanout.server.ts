import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { tokyoDate } from '../i18n/dates.ts';
import type { Logger } from '../platform/logger.server.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { deliver } from './deliver.server.ts';
import { limiter } from './limit.ts';
import { noticeMessage } from './message.ts';
import { pushBatchQueue } from './push.queues.ts';
import {
  findBatch,
  findDevicesInRange,
  findLiveRegistration,
  insertFailures,
  limitIdleInTransaction,
  lockBatchForUpdate,
  lockCampaignForUpdate,
  updateBatchProgress,
  updateCampaignToDoneIfComplete,
  updatePendingBatchesToCancelled,
  updateRegistrationsToGone,
  upsertDailyCounts,
} from './push.repository.server.ts';
import type { PushRuntime } from './runtime.server.ts';
import { isQuiet, nextAllowed } from './schedule.ts';

/** Registrations sent per checkpoint: a worker killed mid-chunk resends at most this many. */
const CHUNK_SIZE = 200;
/** When a batch is locked by another job, it is looked at again this much later. */
const BUSY_RETRY_SECONDS = 30;
/**
 * A chunk's transaction stays open while it sends (up to ATTEMPTS waits of MAX_WAIT_MS);
 * a worker cut off from the database must not hold the batch's lock for longer than this.
 */
const CHUNK_IDLE_TIMEOUT = '5min';

type BatchResult =
  'done' | 'deferred' | 'paused' | 'cancelled' | 'finished-before' | 'busy' | 'missing';

type Context = { db: Db; boss: PgBoss; log: Logger; push: PushRuntime };

/**
 * Sends one batch, chunk by chunk. Each chunk runs in a transaction that holds the batch row
 * lock, reads the registrations after the checkpoint, sends them, and moves the checkpoint with
 * the counters, deactivations, failures and daily aggregates — all committed together. A
 * worker that dies mid-chunk rolls that chunk back, so the retried job resends only it: every
 * device gets its push at least once, and at most the in-flight chunk twice.
 */
export async function runBatch(
  context: Context,
  campaignId: string,
  seq: number,
): Promise<BatchResult> {
  for (;;) {
    const step = await runChunk(context, campaignId, seq);
    if (step !== 'more') return step;
  }
}

// One limiter per process, shared by every batch this process works on.
const limiters = new Map<number, ReturnType<typeof limiter>>();
function sharedLimiter(concurrency: number) {
  let l = limiters.get(concurrency);
  if (!l) limiters.set(concurrency, (l = limiter(concurrency)));
  return l;
}

async function runChunk(
  { db, boss, log, push }: Context,
  campaignId: string,
  seq: number,
): Promise<BatchResult | 'more'> {
  const send = sharedLimiter(push.config.concurrency);
  return db.transaction().execute(async (trx) => {
    await limitIdleInTransaction(trx, CHUNK_IDLE_TIMEOUT);
    const batch = await lockBatchForUpdate(trx, campaignId, seq);
    if (!batch) {
      if (!(await findBatch(trx, campaignId, seq))) return 'missing';
      // Another job holds this batch (a resumed duplicate, or a worker whose connection is
      // gone and whose lock the server has not released yet): look again later rather than
      // trust the holder to finish.
      await enqueue(
        boss,
        trx,
        pushBatchQueue,
        { campaignId, seq },
        { startAfter: BUSY_RETRY_SECONDS },
      );
      return 'busy';
    }
    if (batch.batchState !== 'pending') return 'finished-before';
    if (batch.campaignState === 'paused') return 'paused';
    const now = push.now();
    // Withdrawn or expired: its pushes would open a notice that is gone.
    if (
      batch.campaignState !== 'running' ||
      batch.withdrawnAt ||
      (batch.expiresAt && batch.expiresAt <= now)
    ) {
      await updatePendingBatchesToCancelled(trx, campaignId, seq);
      await finishIfComplete(trx, campaignId);
      return 'cancelled';
    }
    const quiet =
      batch.quietStart === null || batch.quietEnd === null
        ? null
        : { start: batch.quietStart, end: batch.quietEnd };
    if (isQuiet(now, quiet)) {
      await enqueue(
        boss,
        trx,
        pushBatchQueue,
        { campaignId, seq },
        { startAfter: nextAllowed(now, quiet) },
      );
      return 'deferred';
    }

    const notice = {
      id: batch.noticeId,
      kind: batch.kind,
      audience: batch.audience,
      municipalityCode: batch.municipalityCode,
      pushApps: batch.pushApps,
      titleJa: batch.titleJa,
      titleEn: batch.titleEn,
    };
    const devices = await findDevicesInRange(trx, notice, {
      after: batch.cursor,
      upTo: batch.hi,
      limit: CHUNK_SIZE,
    });
    const readAt = Date.now();
    const outcomes = await Promise.all(
      devices.map((device) =>
        send(() =>
          deliver(
            push.senders[device.channel],
            device,
            noticeMessage(notice, device.locale, push.config.ttlSeconds),
            // Checked on the chunk's own connection (read committed: it sees ends committed
            // since), so a small pool cannot leave it waiting for a free connection.
            {
              stillLive: async () => (await findLiveRegistration(trx, device.id)) !== undefined,
              readAt,
            },
          ),
        ),
      ),
    );

    const sent = outcomes.filter((o) => o.kind === 'sent').length;
    const gone = devices.filter((_, i) => outcomes[i]!.kind === 'gone');
    const failures = devices
      .map((device, i) => ({ device, outcome: outcomes[i]! }))
      .flatMap(({ device, outcome }) =>
        outcome.kind === 'retry' || outcome.kind === 'permanent' ? [{ device, outcome }] : [],
      );
    const last = devices.at(-1);
    const finished = devices.length < CHUNK_SIZE;

    await updateBatchProgress(trx, campaignId, seq, {
      cursor: finished ? batch.hi : (last?.id ?? batch.cursor),
      sent,
      failed: failures.length,
      deactivated: gone.length,
      startedAt: batch.startedAt ?? now,
      doneAt: finished ? now : null,
    });
    await updateRegistrationsToGone(
      trx,
      gone.map((d) => d.id),
      now,
    );
    await insertFailures(
      trx,
      failures.map(({ device, outcome }) => ({
        campaignId,
        residentId: device.residentId,
        registrationId: device.id,
        channel: device.channel,
        class: outcome.kind === 'retry' ? ('retry-exhausted' as const) : ('permanent' as const),
        status: outcome.status,
        detail: printable(('detail' in outcome && outcome.detail) || '') || null,
      })),
    );
    if (devices.length > 0)
      await upsertDailyCounts(trx, {
        noticeId: batch.noticeId,
        day: tokyoDate(now),
        sent,
        failed: failures.length,
        deactivated: gone.length,
      });
    for (const { device, outcome } of failures)
      log.warn(
        {
          registration: device.id,
          channel: device.channel,
          status: outcome.status,
          kind: outcome.kind,
        },
        'push failed',
      );
    if (!finished) return 'more';
    await finishIfComplete(trx, campaignId);
    return 'done';
  });
}

/** Marks the campaign done once no batch is pending. */
async function finishIfComplete(
  trx: Parameters<typeof lockCampaignForUpdate>[0],
  campaignId: string,
) {
  // The campaign row is locked first, so that of two batches finishing at once the second
  // waits, and its check (a new statement, a new snapshot) sees the first one's batch done.
  await lockCampaignForUpdate(trx, campaignId);
  await updateCampaignToDoneIfComplete(trx, campaignId);
}

/** Provider answers go into a text column: no NUL or control characters, at most 500. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 500);
}
