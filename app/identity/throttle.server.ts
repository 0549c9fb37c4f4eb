import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export type ThrottleRule = { maxFailures: number; windowMinutes: number; lockMinutes: number };

/** When a key (a client address, say) is locked, until when; otherwise null. */
export async function lockedUntil(db: Db, key: string, now = new Date()): Promise<Date | null> {
  const row = await db
    .selectFrom('throttle')
    .select('lockedUntil')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts one failure in the key's window (one upsert, safe under concurrency) and locks the
 * key when the count reaches the rule's maximum. Returns the lock's end, if locked now.
 */
export async function recordFailure(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now = new Date(),
): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const lockEnd = new Date(now.getTime() + rule.lockMinutes * 60_000);
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
  if (row.failures < rule.maxFailures) return null;
  await db
    .updateTable('throttle')
    .set({ lockedUntil: lockEnd, failures: 0, windowStartedAt: now })
    .where('key', '=', key)
    .execute();
  return lockEnd;
}
