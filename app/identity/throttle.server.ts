import type { Db } from '../../db/connection.ts';
import { findLockedUntil, incrementFailures, lockKey } from './throttle.repository.server.ts';

export type ThrottleRule = { maxFailures: number; windowMinutes: number; lockMinutes: number };

/** When a key (a client address, say) is locked, until when; otherwise null. */
export async function lockedUntil(db: Db, key: string, now = new Date()): Promise<Date | null> {
  const until = await findLockedUntil(db, key);
  return until && until > now ? until : null;
}

/**
 * Counts one failure in the key's window and locks the key when the count reaches the rule's
 * maximum. Returns the lock's end, if locked now.
 */
export async function recordFailure(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now = new Date(),
): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const failures = await incrementFailures(db, key, windowStart, now);
  if (failures < rule.maxFailures) return null;
  const lockEnd = new Date(now.getTime() + rule.lockMinutes * 60_000);
  await lockKey(db, key, lockEnd, now);
  return lockEnd;
}
