import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { jsonb } from '../../db/jsonb.ts';
import type { BrowserErrorReport } from './browser-error.ts';

const EXAMPLES_KEPT = 5;

/**
 * Counts one report in its group (day, route, kind, message) and keeps it among the group's
 * latest examples: one statement, so concurrent reports never lose a count.
 */
export async function upsertBrowserError(
  db: Db,
  day: string,
  report: BrowserErrorReport,
  at: Date,
): Promise<void> {
  const example = jsonb({ at: at.toISOString(), ...report.example });
  await db
    .insertInto('browserErrorDay')
    .values({
      day,
      route: report.route,
      kind: report.kind,
      message: report.message,
      count: 1,
      examples: sql<string>`jsonb_build_array(${example})`,
      lastSeenAt: at,
    })
    .onConflict((oc) =>
      oc.columns(['day', 'route', 'kind', 'message']).doUpdateSet({
        count: sql`browser_error_day.count + 1`,
        examples: sql<string>`jsonb_path_query_array(
          jsonb_build_array(${example}) || browser_error_day.examples,
          ${`$[0 to ${EXAMPLES_KEPT - 1}]`}::jsonpath)`,
        lastSeenAt: at,
      }),
    )
    .execute();
}

/** Reports per day since `fromDay` (inclusive), newest day first. */
export function countBrowserErrorsPerDay(db: Db, fromDay: string) {
  return db
    .selectFrom('browserErrorDay')
    .select(['day', 'kind', sql<number>`sum(count)::int`.as('count')])
    .where('day', '>=', fromDay)
    .groupBy(['day', 'kind'])
    .orderBy('day', 'desc')
    .execute();
}

/** The groups seen since `fromDay`, most recently seen first. */
export function findBrowserErrorGroups(db: Db, fromDay: string, limit: number) {
  return db
    .selectFrom('browserErrorDay')
    .select(['day', 'route', 'kind', 'message', 'count', 'examples', 'lastSeenAt'])
    .where('day', '>=', fromDay)
    .orderBy('lastSeenAt', 'desc')
    .limit(limit)
    .execute();
}
