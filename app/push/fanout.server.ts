import { fromKysely, type PgBoss } from 'pg-boss';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../platform/logger.server.ts';
import type { Device, PushMessage, PushOutcome, PushSender } from './channels/channel.ts';
import { devicesOf, PUSH_BATCH_QUEUE } from './campaign.service.server.ts';
import { noticeMessage } from './message.ts';
import { pushDeactivations, pushFailures, pushSends } from './metrics.server.ts';
import type { PushRuntime } from './runtime.server.ts';
import { isQuiet, nextAllowed } from './schedule.ts';
import { limiter, sleep } from './limit.ts';

/** Registrations sent per checkpoint: a worker killed mid-chunk resends at most this many. */
export const CHUNK_SIZE = 200;
/**
 * Attempts per device within a chunk for 429/5xx/network failures, and the longest wait between
 * two of them. A Retry-After is honoured exactly; one asking for longer than MAX_WAIT_MS is not
 * retried within the chunk (never earlier than asked) and counts as retry-exhausted. Three waits
 * of at most a minute keep a chunk well inside CHUNK_IDLE_TIMEOUT.
 */
const ATTEMPTS = 4;
export const MAX_WAIT_MS = 60_000;
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
      .select(['pr.id', 'pr.channel', 'pr.token', 'pr.p256dh', 'pr.auth', 'pr.locale'])
      .where(liveLink)
      .where('pr.id', '>', batch.cursor)
      .where('pr.id', '<=', batch.hi)
      .orderBy('pr.id')
      .limit(CHUNK_SIZE)
      .execute()) as Device[];

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
            { stillLive: () => registrationIsLive(db, device.id) },
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

/**
 * A registration is pushed only while it is live and, if an app registered it, while its link
 * stands and its client is enabled: a registration belongs to its link (Hardening #5). Ending a
 * link deactivates its registrations in the same transaction; this also covers one written
 * concurrently with the end of its link. One primary-key probe per registration read.
 */
const liveLink = (eb: ExpressionBuilder<Database & { pr: Database['pushRegistration'] }, 'pr'>) =>
  eb.or([
    eb('pr.linkId', 'is', null),
    eb.exists(
      eb
        .selectFrom('appLink as l')
        .innerJoin('appClient as c', 'c.id', 'l.clientId')
        .select(sql`1`.as('one'))
        .whereRef('l.id', '=', 'pr.linkId')
        .where('l.endedAt', 'is', null)
        .where('c.disabledAt', 'is', null),
    ),
  ]);

/** Whether a registration may still be pushed now (read outside the chunk's transaction). */
async function registrationIsLive(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('pushRegistration as pr')
    .select('pr.id')
    .where('pr.id', '=', id)
    .where('pr.deactivatedAt', 'is', null)
    .where(liveLink)
    .executeTakeFirst();
  return row !== undefined;
}

/** The clock deliveries wait on (tests pass a controllable one). */
export type DeliveryClock = { now(): number; sleep(ms: number): Promise<unknown> };
const realClock: DeliveryClock = { now: () => Date.now(), sleep };

/** `stopped`: the registration's link ended (or it was deactivated) while it waited for a retry. */
export type DeliveryOutcome = PushOutcome | { kind: 'stopped' };

/**
 * One device, with retries for 429/5xx/network failures. A Retry-After (delay or HTTP date) is
 * waited for exactly — never retried earlier — and one longer than MAX_WAIT_MS ends the tries.
 * Before each retry the registration is checked again, so a link ended meanwhile gets nothing.
 */
export async function deliver(
  sender: PushSender | undefined,
  device: Device,
  message: PushMessage,
  options: { stillLive(): Promise<boolean>; clock?: DeliveryClock },
): Promise<DeliveryOutcome> {
  const clock = options.clock ?? realClock;
  if (!sender)
    return { kind: 'permanent', status: 0, detail: `no ${device.channel} provider configured` };
  let outcome: PushOutcome = { kind: 'retry', status: null };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      outcome = await sender.send(device, message);
    } catch (error) {
      outcome = { kind: 'retry', status: null, detail: String(error).slice(0, 300) };
    }
    pushSends.inc({ channel: device.channel, outcome: outcome.kind });
    if (outcome.kind !== 'retry' || attempt === ATTEMPTS - 1) break;
    const wait = outcome.retryAfterMs ?? 500 * 2 ** attempt;
    if (wait > MAX_WAIT_MS) break;
    const at = clock.now() + wait;
    while (clock.now() < at) await clock.sleep(at - clock.now());
    if (!(await options.stillLive())) return { kind: 'stopped' };
  }
  if (outcome.kind === 'gone') pushDeactivations.inc({ channel: device.channel });
  if (outcome.kind === 'retry')
    pushFailures.inc({ channel: device.channel, class: 'retry-exhausted' });
  if (outcome.kind === 'permanent')
    pushFailures.inc({ channel: device.channel, class: 'permanent' });
  return outcome;
}
