import { fromKysely, type PgBoss } from 'pg-boss';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { uuidRanges } from './ranges.ts';
import { nextAllowed, spreadStarts, type QuietHours } from './schedule.ts';
import { inTransaction } from '../platform/transaction.server.ts';

export const PUSH_PLAN_QUEUE = 'push.plan';
export const PUSH_BATCH_QUEUE = 'push.batch';

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
  await boss.send(
    PUSH_PLAN_QUEUE,
    { noticeId: notice.id },
    { db: fromKysely(trx), startAfter: notice.publishAt, singletonKey: notice.id },
  );
}

export type PlanSettings = {
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
  const notice = await db
    .selectFrom('notice')
    .select(['id', 'kind', 'audience', 'municipalityCode', 'publishAt', 'withdrawnAt', 'expiresAt'])
    .where('id', '=', noticeId)
    .executeTakeFirst();
  if (!notice || notice.withdrawnAt) return null;
  if (notice.expiresAt && notice.expiresAt <= settings.now) return null;

  const devices = Number(
    (
      await devicesOf(db, notice)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
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

  return db.transaction().execute(async (trx) => {
    const campaign = await trx
      .insertInto('pushCampaign')
      .values({
        noticeId,
        scope: broadcast ? 'broadcast' : 'targeted',
        windowStart,
        windowEnd,
        quietStart: quiet?.start ?? null,
        quietEnd: quiet?.end ?? null,
        devices,
        batches: count,
      })
      .onConflict((oc) => oc.column('noticeId').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!campaign) return null; // planned already (a retried plan job)
    for (let from = 0; from < count; from += 5000) {
      const rows = ranges.slice(from, from + 5000).map((range, i) => ({
        campaignId: campaign.id,
        seq: from + i,
        lo: range.lo,
        hi: range.hi,
        cursor: range.lo,
        dueAt: starts[from + i]!,
      }));
      await trx.insertInto('pushBatch').values(rows).execute();
      await boss.insert(
        PUSH_BATCH_QUEUE,
        rows.map((row) => ({
          data: { campaignId: campaign.id, seq: row.seq },
          startAfter: row.dueAt,
        })),
        { db: fromKysely(trx) },
      );
    }
    return { campaignId: campaign.id, batches: count, devices };
  });
}

type NoticeAudience = {
  id: string;
  kind: 'broadcast' | 'targeted';
  audience: 'all' | 'municipality' | 'list';
  municipalityCode: string | null;
};

/** Live registrations a notice reaches: everyone's, one municipality's, or its recipients'. */
export function devicesOf(db: Db | Transaction<Database>, notice: NoticeAudience) {
  let query = db.selectFrom('pushRegistration as pr').where('pr.deactivatedAt', 'is', null);
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

// Staff controls. Each is one conditional update, so a double click changes nothing twice.

export async function pauseCampaign(db: Db, campaignId: string): Promise<boolean> {
  const result = await db
    .updateTable('pushCampaign')
    .set({ state: 'paused', updatedAt: sql`now()` })
    .where('id', '=', campaignId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
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
    const campaign = await trx
      .updateTable('pushCampaign')
      .set({ state: 'running', updatedAt: sql`now()` })
      .where('id', '=', campaignId)
      .where('state', '=', 'paused')
      .returning(['quietStart', 'quietEnd'])
      .executeTakeFirst();
    if (!campaign) return false;
    const quiet: QuietHours =
      campaign.quietStart === null || campaign.quietEnd === null
        ? null
        : { start: campaign.quietStart, end: campaign.quietEnd };
    const pending = await trx
      .selectFrom('pushBatch')
      .select(['seq', 'dueAt'])
      .where('campaignId', '=', campaignId)
      .where('state', '=', 'pending')
      .execute();
    // Its last batch finished while it was paused: nothing is left to resume.
    if (pending.length === 0)
      await trx
        .updateTable('pushCampaign')
        .set({ state: 'done', finishedAt: sql`now()` })
        .where('id', '=', campaignId)
        .execute();
    for (let from = 0; from < pending.length; from += 5000) {
      await boss.insert(
        PUSH_BATCH_QUEUE,
        pending.slice(from, from + 5000).map((batch) => ({
          data: { campaignId, seq: batch.seq },
          startAfter: batch.dueAt > now ? batch.dueAt : nextAllowed(now, quiet),
        })),
        { db: fromKysely(trx) },
      );
    }
    return true;
  });
}

/** Cancels a fan-out: nothing more is sent; what was sent stays counted. */
export async function cancelCampaign(db: Db, campaignId: string): Promise<boolean> {
  // Batches first, then the campaign: the order a finishing chunk takes its locks in (its
  // batch, then the campaign), so the two never wait on each other in a circle.
  return inTransaction(db, async (trx) => {
    await trx
      .updateTable('pushBatch')
      .set({ state: 'cancelled', doneAt: sql`now()` })
      .where('campaignId', '=', campaignId)
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
      .execute();
    const result = await trx
      .updateTable('pushCampaign')
      .set({ state: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where('id', '=', campaignId)
      .where('state', 'in', ['running', 'paused'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

export type CampaignProgress = {
  id: string;
  noticeId: string;
  titleJa: string | null;
  titleEn: string | null;
  scope: 'broadcast' | 'targeted';
  state: 'running' | 'paused' | 'cancelled' | 'done';
  devices: number;
  sent: number;
  failed: number;
  deactivated: number;
  remaining: number;
  batches: number;
  batchesDone: number;
  windowStart: Date;
  windowEnd: Date;
  createdAt: Date;
  finishedAt: Date | null;
  /** When the last batch is due to start, or when it finished; null once cancelled. */
  expectedFinish: Date | null;
};

/** Progress of campaigns, summed from their batches' counters. */
export async function campaignProgress(
  db: Db,
  filter: { noticeId?: string; campaignId?: string; limit?: number } = {},
): Promise<CampaignProgress[]> {
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
  return rows.map((row) => {
    const totals = (typeof row.totals === 'string' ? JSON.parse(row.totals) : row.totals) as {
      sent: number;
      failed: number;
      deactivated: number;
      done: number;
      lastDue: string | null;
    };
    const handled = Number(totals.sent) + Number(totals.failed) + Number(totals.deactivated);
    const finished = row.state === 'done' || row.state === 'cancelled';
    return {
      id: row.id,
      noticeId: row.noticeId,
      titleJa: row.titleJa,
      titleEn: row.titleEn,
      scope: row.scope,
      state: row.state,
      devices: row.devices,
      sent: Number(totals.sent),
      failed: Number(totals.failed),
      deactivated: Number(totals.deactivated),
      remaining: finished ? 0 : Math.max(0, row.devices - handled),
      batches: row.batches,
      batchesDone: Number(totals.done),
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      expectedFinish:
        row.state === 'done'
          ? row.finishedAt
          : row.state === 'cancelled'
            ? null
            : totals.lastDue
              ? new Date(Math.max(new Date(totals.lastDue).getTime(), Date.now()))
              : null,
    };
  });
}
