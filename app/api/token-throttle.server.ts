import type { Db } from '../../db/connection.ts';
import { lockedUntil, recordFailure, type ThrottleRule } from '../identity/throttle.server.ts';

/**
 * Failed grants at POST /api/v1/token per client address and client (decision 0018): 20 in
 * 10 minutes lock that pair for 10 minutes. Only refused grants count (a bad, used, expired or
 * foreign refresh token or code, an unknown or disabled client), not malformed requests nor
 * good refreshes, so an app that refreshes often is never slowed; keyed by client too, so one
 * misbehaving app behind a shared carrier address does not lock out another app's users.
 */
export const TOKEN_THROTTLE: ThrottleRule = { maxFailures: 20, windowMinutes: 10, lockMinutes: 10 };

const keyOf = (clientIp: string | null, clientId: string) =>
  `app-token:${clientIp ?? 'unknown'}:${clientId}`;

/** Seconds until this address may try this client's grants again, or null if it may now. */
export async function tokenRetryAfter(
  db: Db,
  clientIp: string | null,
  clientId: string,
  now = new Date(),
): Promise<number | null> {
  const until = await lockedUntil(db, keyOf(clientIp, clientId), now);
  return until ? Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) : null;
}

/** Counts one refused grant. */
export async function recordTokenFailure(
  db: Db,
  clientIp: string | null,
  clientId: string,
  now = new Date(),
): Promise<void> {
  await recordFailure(db, keyOf(clientIp, clientId), TOKEN_THROTTLE, now);
}
