import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** Adds a batch of counts in one statement. */
export async function addPageViews(
  db: Db,
  rows: readonly { day: string; route: string; views: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('pageViewDay')
    .values(rows.map((r) => ({ day: r.day, route: r.route, views: r.views })))
    .onConflict((oc) =>
      oc.columns(['day', 'route']).doUpdateSet({
        views: sql`page_view_day.views + excluded.views`,
      }),
    )
    .execute();
}

/** Views per day and route since `fromDay` (inclusive). */
export function findPageViews(db: Db, fromDay: string) {
  return db
    .selectFrom('pageViewDay')
    .select(['day', 'route', sql<number>`views::int`.as('views')])
    .where('day', '>=', fromDay)
    .orderBy('day', 'desc')
    .orderBy('views', 'desc')
    .execute();
}
