import { fromKysely, type PgBoss } from 'pg-boss';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Logger } from '../platform/logger.server.ts';
import type { Device } from './channels/channel.ts';
import { deliver, liveLink, registrationIsLive } from './deliver.server.ts';
import { devicesOf, PUSH_BATCH_QUEUE } from './campaign.service.server.ts';
import { noticeMessage } from './message.ts';
import type { PushRuntime } from './runtime.server.ts';
import { isQuiet, nextAllowed } from './schedule.ts';
import { limiter } from './limit.ts';

/** Registrations sent per checkpoint: a worker killed mid-chunk resends at most this many. */
export const CHUNK_SIZE = 200;
/** When a batch is locked by another job, it is looked at again this much later. */
const BUSY_RETRY_SECONDS = 30;
/**
 * A chunk's transaction stays open while it sends (up to ATTEMPTS waits of MAX_WAIT_MS);
 * a worker cut off from the database must not hold the batch's lock for longer than this.
 */
const CHUNK_IDLE_TIMEOUT = '5min';

export type BatchResult =
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
    await sql`select set_config('idle_in_transaction_session_timeout', ${CHUNK_IDLE_TIMEOUT}, true)`.execute(
      trx,
    );
    const batch = await trx
      .selectFrom('pushBatch as b')
      .innerJoin('pushCampaign as c', 'c.id', 'b.campaignId')
      .innerJoin('notice as n', 'n.id', 'c.noticeId')
      .select([
        'b.cursor',
        'b.hi',
        'b.state as batchState',
        'b.startedAt',
        'c.state as campaignState',
        'c.quietStart',
        'c.quietEnd',
        'n.id as noticeId',
        'n.kind',
        'n.audience',
        'n.municipalityCode',
        'n.titleJa',
        'n.titleEn',
        'n.withdrawnAt',
        'n.expiresAt',
      ])
      .where('b.campaignId', '=', campaignId)
      .where('b.seq', '=', seq)
      .forUpdate('b')
      .skipLocked()
      .executeTakeFirst();
    if (!batch) {
      const exists = await trx
        .selectFrom('pushBatch')
        .select('seq')
        .where('campaignId', '=', campaignId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!exists) return 'missing';
      // Another job holds this batch (a resumed duplicate, or a worker whose connection is
      // gone and whose lock the server has not released yet): look again later rather than
      // trust the holder to finish.
      await boss.send(
        PUSH_BATCH_QUEUE,
        { campaignId, seq },
        { db: fromKysely(trx), startAfter: BUSY_RETRY_SECONDS },
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
      await trx
        .updateTable('pushBatch')
        .set({ state: 'cancelled', doneAt: sql`now()` })
        .where('campaignId', '=', campaignId)
        .where('seq', '=', seq)
        .execute();
      await finishIfComplete(trx, campaignId);
      return 'cancelled';
    }
    const quiet =
      batch.quietStart === null || batch.quietEnd === null
        ? null
        : { start: batch.quietStart, end: batch.quietEnd };
    if (isQuiet(now, quiet)) {
      await boss.send(
        PUSH_BATCH_QUEUE,
        { campaignId, seq },
        { db: fromKysely(trx), startAfter: nextAllowed(now, quiet) },
      );
      return 'deferred';
    }

    const devices = (await devicesOf(trx, {
      id: batch.noticeId,
      kind: batch.kind,
      audience: batch.audience,
      municipalityCode: batch.municipalityCode,
    })
      .select([
        'pr.id',
        'pr.residentId',
        'pr.channel',
        'pr.token',
        'pr.p256dh',
        'pr.auth',
        'pr.locale',
      ])
      .where(liveLink)
      .where('pr.id', '>', batch.cursor)
      .where('pr.id', '<=', batch.hi)
      .orderBy('pr.id')
      .limit(CHUNK_SIZE)
      .execute()) as (Device & { residentId: string })[];

    const readAt = Date.now();
    const notice = {
      id: batch.noticeId,
      kind: batch.kind,
      titleJa: batch.titleJa,
      titleEn: batch.titleEn,
    };
    const outcomes = await Promise.all(
      devices.map((device) =>
        send(() =>
          deliver(
            push.senders[device.channel],
            device,
            noticeMessage(notice, device.locale, push.config.ttlSeconds),
            // Checked on the chunk's own connection (read committed: it sees ends committed
            // since), so a small pool cannot leave it waiting for a free connection.
            { stillLive: () => registrationIsLive(trx, device.id), readAt },
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

    await trx
      .updateTable('pushBatch')
      .set({
        cursor: finished ? batch.hi : (last?.id ?? batch.cursor),
        sent: sql`sent + ${sent}`,
        failed: sql`failed + ${failures.length}`,
        deactivated: sql`deactivated + ${gone.length}`,
        startedAt: batch.startedAt ?? now,
        ...(finished ? { state: 'done' as const, doneAt: now } : {}),
      })
      .where('campaignId', '=', campaignId)
      .where('seq', '=', seq)
      .execute();
    if (gone.length > 0)
      await trx
        .updateTable('pushRegistration')
        .set({ deactivatedAt: now, deactivationReason: 'gone' })
        .where(
          'id',
          'in',
          gone.map((d) => d.id),
        )
        .where('deactivatedAt', 'is', null)
        .execute();
    if (failures.length > 0)
      await trx
        .insertInto('pushFailure')
        .values(
          failures.map(({ device, outcome }) => ({
            campaignId,
            residentId: device.residentId,
            registrationId: device.id,
            channel: device.channel,
            class: outcome.kind === 'retry' ? ('retry-exhausted' as const) : ('permanent' as const),
            status: outcome.status,
            detail: printable(('detail' in outcome && outcome.detail) || '') || null,
          })),
        )
        .execute();
    if (devices.length > 0)
      await sql`
        insert into push_daily (notice_id, day, sent, failed, deactivated)
        values (${batch.noticeId}, (${now}::timestamptz at time zone 'Asia/Tokyo')::date,
                ${sent}, ${failures.length}, ${gone.length})
        on conflict (notice_id, day) do update set
          sent = push_daily.sent + excluded.sent,
          failed = push_daily.failed + excluded.failed,
          deactivated = push_daily.deactivated + excluded.deactivated`.execute(trx);
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
async function finishIfComplete(trx: Parameters<typeof devicesOf>[0], campaignId: string) {
  // The campaign row is locked first, so that of two batches finishing at once the second
  // waits, and its check (a new statement, a new snapshot) sees the first one's batch done.
  await sql`select 1 from push_campaign where id = ${campaignId} for update`.execute(trx);
  await sql`
    update push_campaign set state = 'done', finished_at = now(), updated_at = now()
    where id = ${campaignId} and state in ('running', 'paused')
      and not exists (select 1 from push_batch where campaign_id = ${campaignId} and state = 'pending')`.execute(
    trx,
  );
}

/** Provider answers go into a text column: no NUL or control characters, at most 500. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 500);
}
