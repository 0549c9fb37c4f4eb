import { sql, type ExpressionBuilder, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type {
  Database,
  NoticeTable,
  PushBatchTable,
  PushCampaignState,
  PushCampaignTable,
  PushFailureTable,
} from '../../db/schema.ts';
import type { Device } from './channels/channel.ts';

/*
 * All SQL of push fan-outs. A campaign is one row per notice; its batches cut the
 * registration id space into ranges (push_batch primary key (campaign_id, seq)); a batch walks
 * its range along push_registration's primary key from its cursor, so a chunk is an index
 * range scan of at most `limit` rows whatever the audience size.
 */

type Executor = Db | Transaction<Database>;

type NoticeToPush = Pick<
  Selectable<NoticeTable>,
  | 'id'
  | 'kind'
  | 'audience'
  | 'municipalityCode'
  | 'pushApps'
  | 'publishAt'
  | 'withdrawnAt'
  | 'expiresAt'
>;
type NoticeAudience = Pick<
  NoticeToPush,
  'id' | 'kind' | 'audience' | 'municipalityCode' | 'pushApps'
>;

export async function findNoticeToPush(
  db: Executor,
  noticeId: string,
): Promise<NoticeToPush | undefined> {
  return db
    .selectFrom('notice')
    .select([
      'id',
      'kind',
      'audience',
      'municipalityCode',
      'pushApps',
      'publishAt',
      'withdrawnAt',
      'expiresAt',
    ])
    .where('id', '=', noticeId)
    .executeTakeFirst();
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
        .whereRef('l.residentId', '=', 'pr.residentId')
        .whereRef('l.id', '=', 'pr.linkId')
        .where('l.endedAt', 'is', null)
        .where('c.disabledAt', 'is', null),
    ),
  ]);

/**
 * Live registrations a notice reaches: everyone's, one municipality's, or its recipients'; only
 * the browsers' when the apps get their own event push for it (a credential revocation).
 */
function devicesOf(db: Executor, notice: NoticeAudience) {
  let query = db.selectFrom('pushRegistration as pr').where('pr.deactivatedAt', 'is', null);
  if (!notice.pushApps) query = query.where('pr.linkId', 'is', null);
  if (notice.audience === 'municipality')
    query = query.where((eb) =>
      eb(
        'pr.residentId',
        'in',
        eb
          .selectFrom('resident')
          .select('resident.id')
          .where('resident.municipalityCode', '=', notice.municipalityCode ?? ''),
      ),
    );
  if (notice.audience === 'list')
    query = query.where((eb) =>
      eb(
        'pr.residentId',
        'in',
        eb
          .selectFrom('noticeRecipient')
          .select('noticeRecipient.residentId')
          .where('noticeRecipient.noticeId', '=', notice.id),
      ),
    );
  return query;
}

/** Registrations a notice reaches now (live ones; their links are checked at send time). */
export async function countDevicesOf(db: Executor, notice: NoticeAudience): Promise<number> {
  const row = await devicesOf(db, notice)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next live devices of a batch's range (after < id <= upTo), in id order. */
export async function findDevicesInRange(
  trx: Transaction<Database>,
  notice: NoticeAudience,
  range: { after: string; upTo: string; limit: number },
): Promise<(Device & { residentId: string })[]> {
  return devicesOf(trx, notice)
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
    .where('pr.id', '>', range.after)
    .where('pr.id', '<=', range.upTo)
    .orderBy('pr.id')
    .limit(range.limit)
    .execute();
}

/** The resident's live registrations made by a linked app (its link standing), e.g. for app events. */
export async function findAppDevicesOf(db: Executor, residentId: string): Promise<Device[]> {
  return db
    .selectFrom('pushRegistration as pr')
    .select(['pr.id', 'pr.channel', 'pr.token', 'pr.p256dh', 'pr.auth', 'pr.locale'])
    .where('pr.residentId', '=', residentId)
    .where('pr.linkId', 'is not', null)
    .where('pr.deactivatedAt', 'is', null)
    .where(liveLink)
    .orderBy('pr.id')
    .execute();
}

/** Whether a registration may still be pushed now. */
export async function findLiveRegistration(
  db: Executor,
  id: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('pushRegistration as pr')
    .select('pr.id')
    .where('pr.id', '=', id)
    .where('pr.deactivatedAt', 'is', null)
    .where(liveLink)
    .executeTakeFirst();
}

export async function updateRegistrationsToGone(
  trx: Transaction<Database>,
  ids: readonly string[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('pushRegistration')
    .set({ deactivatedAt: now, deactivationReason: 'gone' })
    .where('id', 'in', ids)
    .where('deactivatedAt', 'is', null)
    .execute();
}

// ---- Campaigns --------------------------------------------------------------------------

type NewCampaign = Pick<
  Selectable<PushCampaignTable>,
  | 'noticeId'
  | 'scope'
  | 'windowStart'
  | 'windowEnd'
  | 'quietStart'
  | 'quietEnd'
  | 'devices'
  | 'batches'
>;

/** The campaign's id, or null when the notice has one already (a retried plan job). */
export async function insertCampaign(
  trx: Transaction<Database>,
  campaign: NewCampaign,
): Promise<string | null> {
  const row = await trx
    .insertInto('pushCampaign')
    .values(campaign)
    .onConflict((oc) => oc.column('noticeId').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The campaign row, locked: see finishIfComplete in fanout.server.ts for why. */
export async function lockCampaignForUpdate(
  trx: Transaction<Database>,
  campaignId: string,
): Promise<void> {
  await sql`select 1 from push_campaign where id = ${campaignId} for update`.execute(trx);
}

/**
 * Moves a campaign from one of `from` to `to`. Each staff control is this one conditional
 * update, so a double click changes nothing twice. Returns the campaign's quiet hours when it
 * moved, undefined when it was not in a `from` state.
 */
export async function updateCampaignState(
  db: Executor,
  campaignId: string,
  change: { from: readonly PushCampaignState[]; to: PushCampaignState },
): Promise<Pick<Selectable<PushCampaignTable>, 'quietStart' | 'quietEnd'> | undefined> {
  const ends = change.to === 'done' || change.to === 'cancelled';
  return db
    .updateTable('pushCampaign')
    .set({
      state: change.to,
      updatedAt: sql`now()`,
      ...(ends ? { finishedAt: sql<Date>`now()` } : {}),
    })
    .where('id', '=', campaignId)
    .where('state', 'in', change.from)
    .returning(['quietStart', 'quietEnd'])
    .executeTakeFirst();
}

/** Done once no batch is pending (the caller holds the campaign lock: lockCampaignForUpdate). */
export async function updateCampaignToDoneIfComplete(
  trx: Transaction<Database>,
  campaignId: string,
): Promise<void> {
  await sql`
    update push_campaign set state = 'done', finished_at = now(), updated_at = now()
    where id = ${campaignId} and state in ('running', 'paused')
      and not exists (select 1 from push_batch where campaign_id = ${campaignId} and state = 'pending')`.execute(
    trx,
  );
}

export type CampaignProgressRow = Pick<
  Selectable<PushCampaignTable>,
  | 'id'
  | 'noticeId'
  | 'scope'
  | 'state'
  | 'devices'
  | 'batches'
  | 'windowStart'
  | 'windowEnd'
  | 'createdAt'
  | 'finishedAt'
> &
  Pick<Selectable<NoticeTable>, 'titleJa' | 'titleEn'> & {
    /** Summed from the batches' counters. */
    totals: { sent: number; failed: number; deactivated: number; done: number };
    /** When the last pending batch is due to start; null when none is pending. */
    lastDue: Date | null;
  };

/** Campaigns, newest first, with their batches' counters summed (one subquery per campaign). */
export async function findCampaignProgress(
  db: Db,
  filter: { noticeId?: string; campaignId?: string; limit?: number },
): Promise<CampaignProgressRow[]> {
  let query = db
    .selectFrom('pushCampaign as c')
    .innerJoin('notice as n', 'n.id', 'c.noticeId')
    .select([
      'c.id',
      'c.noticeId',
      'n.titleJa',
      'n.titleEn',
      'c.scope',
      'c.state',
      'c.devices',
      'c.batches',
      'c.windowStart',
      'c.windowEnd',
      'c.createdAt',
      'c.finishedAt',
    ])
    .select((eb) => [
      eb
        .selectFrom('pushBatch as b')
        .whereRef('b.campaignId', '=', 'c.id')
        .select(
          sql<string>`json_build_object('sent', coalesce(sum(b.sent), 0), 'failed', coalesce(sum(b.failed), 0), 'deactivated', coalesce(sum(b.deactivated), 0), 'done', count(*) filter (where b.state <> 'pending'), 'lastDue', max(b.due_at) filter (where b.state = 'pending'))`.as(
            'totals',
          ),
        )
        .as('totals'),
    ])
    .orderBy('c.createdAt', 'desc')
    .limit(filter.limit ?? 20);
  if (filter.noticeId) query = query.where('c.noticeId', '=', filter.noticeId);
  if (filter.campaignId) query = query.where('c.id', '=', filter.campaignId);
  const rows = await query.execute();
  return rows.map(({ totals: json, ...row }) => {
    const totals = (typeof json === 'string' ? JSON.parse(json) : json) as Record<
      'sent' | 'failed' | 'deactivated' | 'done',
      number | string
    > & { lastDue: string | null };
    return {
      ...row,
      totals: {
        sent: Number(totals.sent),
        failed: Number(totals.failed),
        deactivated: Number(totals.deactivated),
        done: Number(totals.done),
      },
      lastDue: totals.lastDue ? new Date(totals.lastDue) : null,
    };
  });
}

/** Campaigns per state, for the metrics page. */
export async function countCampaignsByState(
  db: Db,
): Promise<{ state: PushCampaignState; n: number }[]> {
  const rows = await db
    .selectFrom('pushCampaign')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
}

// ---- Batches ----------------------------------------------------------------------------

type NewBatch = Pick<
  Selectable<PushBatchTable>,
  'campaignId' | 'seq' | 'lo' | 'hi' | 'cursor' | 'dueAt'
>;

export async function insertBatches(
  trx: Transaction<Database>,
  batches: readonly NewBatch[],
): Promise<void> {
  await trx.insertInto('pushBatch').values(batches).execute();
}

export async function findPendingBatches(
  trx: Transaction<Database>,
  campaignId: string,
): Promise<Pick<Selectable<PushBatchTable>, 'seq' | 'dueAt'>[]> {
  return trx
    .selectFrom('pushBatch')
    .select(['seq', 'dueAt'])
    .where('campaignId', '=', campaignId)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * A chunk's transaction stays open while it sends; a worker cut off from the database must not
 * hold its batch's lock for longer than `timeout` (a Postgres interval, e.g. '5min').
 */
export async function limitIdleInTransaction(
  trx: Transaction<Database>,
  timeout: string,
): Promise<void> {
  await sql`select set_config('idle_in_transaction_session_timeout', ${timeout}, true)`.execute(
    trx,
  );
}

type LockedBatch = Pick<Selectable<PushBatchTable>, 'cursor' | 'hi' | 'startedAt'> & {
  batchState: Selectable<PushBatchTable>['state'];
  campaignState: PushCampaignState;
  noticeId: string;
} & Pick<Selectable<PushCampaignTable>, 'quietStart' | 'quietEnd'> &
  Pick<
    Selectable<NoticeTable>,
    | 'kind'
    | 'audience'
    | 'municipalityCode'
    | 'pushApps'
    | 'titleJa'
    | 'titleEn'
    | 'withdrawnAt'
    | 'expiresAt'
  >;

/**
 * A batch with its campaign and notice, its row locked for the chunk; undefined when another
 * transaction holds it (skip locked) or there is no such batch.
 */
export async function lockBatchForUpdate(
  trx: Transaction<Database>,
  campaignId: string,
  seq: number,
): Promise<LockedBatch | undefined> {
  return trx
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
      'n.pushApps',
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
}

export async function findBatch(
  db: Executor,
  campaignId: string,
  seq: number,
): Promise<{ seq: number } | undefined> {
  return db
    .selectFrom('pushBatch')
    .select('seq')
    .where('campaignId', '=', campaignId)
    .where('seq', '=', seq)
    .executeTakeFirst();
}

/** Cancels pending batches: one (seq), or all of a campaign that is still running or paused. */
export async function updatePendingBatchesToCancelled(
  trx: Transaction<Database>,
  campaignId: string,
  seq?: number,
): Promise<void> {
  let query = trx
    .updateTable('pushBatch')
    .set({ state: 'cancelled', doneAt: sql`now()` })
    .where('campaignId', '=', campaignId);
  query =
    seq === undefined
      ? query
          .where('state', '=', 'pending')
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('pushCampaign')
                .select('id')
                .where('id', '=', campaignId)
                .where('state', 'in', ['running', 'paused']),
            ),
          )
      : query.where('seq', '=', seq);
  await query.execute();
}

/** A chunk's outcome: the checkpoint moves and the counters grow in the chunk's transaction. */
export async function updateBatchProgress(
  trx: Transaction<Database>,
  campaignId: string,
  seq: number,
  progress: {
    cursor: string;
    sent: number;
    failed: number;
    deactivated: number;
    startedAt: Date;
    doneAt: Date | null;
  },
): Promise<void> {
  await trx
    .updateTable('pushBatch')
    .set({
      cursor: progress.cursor,
      sent: sql`sent + ${progress.sent}`,
      failed: sql`failed + ${progress.failed}`,
      deactivated: sql`deactivated + ${progress.deactivated}`,
      startedAt: progress.startedAt,
      ...(progress.doneAt ? { state: 'done' as const, doneAt: progress.doneAt } : {}),
    })
    .where('campaignId', '=', campaignId)
    .where('seq', '=', seq)
    .execute();
}

type NewFailure = Pick<
  Selectable<PushFailureTable>,
  'campaignId' | 'residentId' | 'registrationId' | 'channel' | 'class' | 'status' | 'detail'
>;

export async function insertFailures(
  trx: Transaction<Database>,
  failures: readonly NewFailure[],
): Promise<void> {
  if (failures.length > 0) await trx.insertInto('pushFailure').values(failures).execute();
}

/** Adds a chunk's counts to its notice's figures of one Japan day (YYYY-MM-DD). */
export async function upsertDailyCounts(
  trx: Transaction<Database>,
  counts: { noticeId: string; day: string; sent: number; failed: number; deactivated: number },
): Promise<void> {
  await sql`
    insert into push_daily (notice_id, day, sent, failed, deactivated)
    values (${counts.noticeId}, ${counts.day}::date, ${counts.sent}, ${counts.failed}, ${counts.deactivated})
    on conflict (notice_id, day) do update set
      sent = push_daily.sent + excluded.sent,
      failed = push_daily.failed + excluded.failed,
      deactivated = push_daily.deactivated + excluded.deactivated`.execute(trx);
}
