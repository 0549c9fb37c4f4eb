/**
 * The waitlist's pure rules (decision 0054), safe for the browser: how long an offer holds
 * its places. An offer never lasts past the booking deadline (nobody may book after it), and
 * a slot that is near gets a shorter hold, so the next in line still has time when the first
 * does not answer: half of the time left, but at least an hour when that much is left.
 */
export const DEFAULT_HOLD_HOURS = 24;

const HOUR = 3600_000;

/** When an offer made now expires; null when the deadline has passed (no offer then). */
export function offerExpiry(now: Date, deadline: Date, holdHours: number): Date | null {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return null;
  const hold = Math.min(holdHours * HOUR, Math.max(left / 2, Math.min(left, HOUR)));
  return new Date(now.getTime() + Math.floor(hold));
}
