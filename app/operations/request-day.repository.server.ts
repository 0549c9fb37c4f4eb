/** Requests per day kept for the operations report (migration 0043). */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export type RequestDayRow = {
  day: string;
  statusClass: '2xx' | '3xx' | '4xx' | '5xx' | 'other';
  leMs: number;
  requests: number;
};

/** Adds counts to their rows in one statement (two processes add, never overwrite). */
export async function addRequestCounts(db: Db, rows: RequestDayRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('requestDay')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['day', 'statusClass', 'leMs']).doUpdateSet({
        requests: sql`request_day.requests + excluded.requests`,
      }),
    )
    .execute();
}

/** The histogram of days [from, to]: requests per status class and bucket. */
export function findRequestCounts(db: Db, from: string, to: string) {
  return db
    .selectFrom('requestDay')
    .select(['statusClass', 'leMs', sql<number>`sum(requests)::float8`.as('requests')])
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['statusClass', 'leMs'])
    .orderBy('leMs')
    .execute();
}
