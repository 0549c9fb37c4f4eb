/** Reading the waitlist in tests (decision 0054). */
import type { Db } from '../../db/connection.ts';

/** The entries of a slot's line, in the order they joined. */
export function waitlistOf(db: Db, city: string, slotId: string) {
  return db
    .selectFrom('bookingWaitlist')
    .select(['id', 'targetId', 'status', 'places', 'offerExpiresAt', 'bookingId', 'locale'])
    .where('municipalityCode', '=', city)
    .where('slotId', '=', slotId)
    .orderBy('joinedAt')
    .orderBy('id')
    .execute();
}

/** Places held by the offers of a slot. */
export async function heldPlaces(db: Db, city: string, slotId: string): Promise<number> {
  const rows = await db
    .selectFrom('bookingWaitlist')
    .select('places')
    .where('municipalityCode', '=', city)
    .where('slotId', '=', slotId)
    .where('status', '=', 'offered')
    .execute();
  return rows.reduce((sum, r) => sum + r.places, 0);
}

/** The outbox rows of a waitlist entry's offer. */
export function offerMailRows(db: Db, entryId: string, which: 'offered' | 'closed' = 'offered') {
  return db
    .selectFrom('mailMessage')
    .select(['id', 'kind', 'toAddress', 'locale', 'subject', 'textBody'])
    .where('dedupeKey', '=', `waitlist:${entryId}:${which}`)
    .execute();
}
