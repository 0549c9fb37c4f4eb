/** Every query of throttle counters (failed attempts per key). */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

export async function findLockedUntil(db: Conn, key: string): Promise<Date | null> {
  const row = await db
    .selectFrom('throttle')
    .select('lockedUntil')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.lockedUntil ?? null;
}

/**
 * Counts one failure for the key (one upsert, safe under concurrency): the count starts again
 * at 1 when its window began before `windowStart`. Returns the count now.
 */
export async function incrementFailures(
  db: Conn,
  key: string,
  windowStart: Date,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('throttle')
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when throttle.window_started_at < ${windowStart} then 1 else throttle.failures + 1 end`,
        windowStartedAt: sql`case when throttle.window_started_at < ${windowStart} then ${now}::timestamptz else throttle.window_started_at end`,
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** Locks the key until `lockedUntil`; its count starts again. */
export async function lockKey(db: Conn, key: string, lockedUntil: Date, now: Date): Promise<void> {
  await db
    .updateTable('throttle')
    .set({ lockedUntil, failures: 0, windowStartedAt: now })
    .where('key', '=', key)
    .execute();
}
