/** What the operations report reads for a period (days in Japan, instants [from, to)). */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { jsonb } from '../../db/jsonb.ts';

const n = (value: unknown) => Number(value ?? 0);

/** The sum of a per-day count over days [fromDay, toDay]. */
async function sumOverDays(
  db: Db,
  table: 'page_view_day' | 'browser_error_day',
  column: 'views' | 'count',
  fromDay: string,
  toDay: string,
): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select coalesce(sum(${sql.ref(column)}), 0) as n from ${sql.table(table)}
     where day between ${fromDay} and ${toDay}`.execute(db);
  return n(rows[0]?.n);
}

export const sumPageViews = (db: Db, fromDay: string, toDay: string) =>
  sumOverDays(db, 'page_view_day', 'views', fromDay, toDay);

export const sumBrowserErrors = (db: Db, fromDay: string, toDay: string) =>
  sumOverDays(db, 'browser_error_day', 'count', fromDay, toDay);

export async function sumPushes(db: Db, fromDay: string, toDay: string) {
  const row = await db
    .selectFrom('pushDaily')
    .select([
      sql<string>`coalesce(sum(sent), 0)`.as('sent'),
      sql<string>`coalesce(sum(failed), 0)`.as('failed'),
    ])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .executeTakeFirst();
  return { sent: n(row?.sent), failed: n(row?.failed) };
}

export async function countBookings(db: Db, from: Date, to: Date) {
  const row = await db
    .selectFrom('booking')
    .select([
      sql<string>`count(*) filter (where created_at >= ${from} and created_at < ${to})`.as('made'),
      sql<string>`count(*) filter (where cancelled_at >= ${from} and cancelled_at < ${to})`.as(
        'cancelled',
      ),
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('createdAt', '>=', from), eb('createdAt', '<', to)]),
        eb.and([eb('cancelledAt', '>=', from), eb('cancelledAt', '<', to)]),
      ]),
    )
    .executeTakeFirst();
  return { made: n(row?.made), cancelled: n(row?.cancelled) };
}

/** Jobs that ended in the period, by queue and how (pg-boss keeps finished jobs for days). */
export async function countFinishedJobs(db: Db, from: Date, to: Date) {
  const { rows } = await sql<{ name: string; state: string; n: string }>`
    select name, state::text as state, count(*) as n from pgboss.job
     where completed_on >= ${from} and completed_on < ${to}
       and state in ('completed', 'failed')
     group by 1, 2`.execute(db);
  return rows.map((r) => ({ queue: r.name, state: r.state, jobs: n(r.n) }));
}

export async function countOperationRuns(db: Db, from: Date, to: Date) {
  return db
    .selectFrom('operationRun')
    .select(['kind', 'ok', sql<string>`count(*)`.as('n')])
    .where('finishedAt', '>=', from)
    .where('finishedAt', '<', to)
    .groupBy(['kind', 'ok'])
    .execute();
}

export async function saveReport(
  db: Db,
  report: { kind: 'daily' | 'weekly'; periodStart: string; periodEnd: string; figures: unknown },
): Promise<void> {
  const figures = jsonb(report.figures);
  await db
    .insertInto('operationsReport')
    .values({ ...report, figures })
    .onConflict((oc) => oc.columns(['kind', 'periodStart']).doUpdateSet({ figures }))
    .execute();
}

export function findReports(db: Db, kind: 'daily' | 'weekly', limit: number) {
  return db
    .selectFrom('operationsReport')
    .select(['periodStart', 'periodEnd', 'figures', 'createdAt'])
    .where('kind', '=', kind)
    .orderBy('periodStart', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Staff accounts that may read the operations pages (a permission held through any of their
 * groups), are not disabled and have an email address: who receives the weekly summary.
 */
export function findOperationsReaders(db: Db) {
  return db
    .selectFrom('account as a')
    .select(['a.id', 'a.displayName', 'a.email', 'a.locale'])
    .where('a.kind', '=', 'staff')
    .where('a.disabledAt', 'is', null)
    .where('a.email', 'is not', null)
    .where('a.email', '<>', '')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('staffMembership as m')
          .innerJoin('staffGroupPermission as p', 'p.groupId', 'm.groupId')
          .whereRef('m.accountId', '=', 'a.id')
          .where('p.permission', '=', 'operations:read'),
      ),
    )
    .orderBy('a.id')
    .execute();
}
