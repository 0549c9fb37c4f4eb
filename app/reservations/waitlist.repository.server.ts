/** Queries of the waitlist (decision 0054); first argument: the caller's trx or db. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BookingNeed, Database, WaitlistStatus } from '../../db/schema.ts';
import { jsonb } from '../../db/jsonb.ts';
import type { AppointmentKind } from './booking-rules.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type WaitlistMember = {
  targetId: string;
  verifiedBy: 'session' | 'password' | 'birth_date';
};

export async function insertEntry(
  trx: Transaction<Database>,
  entry: {
    municipalityCode: string;
    slotId: string;
    kind: AppointmentKind;
    targetId: string;
    members: readonly WaitlistMember[];
    email: string;
    phone: string;
    locale: 'ja' | 'en';
    answers: Record<string, unknown>;
    needs: BookingNeed[];
    joinKey: string;
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('bookingWaitlist')
    .values({
      ...entry,
      places: entry.members.length,
      members: jsonb(entry.members),
      answers: jsonb(entry.answers),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export function entryByJoinKey(q: Q, code: string, joinKey: string) {
  return q
    .selectFrom('bookingWaitlist')
    .select(['id', 'slotId', 'status'])
    .where('municipalityCode', '=', code)
    .where('joinKey', '=', joinKey)
    .executeTakeFirst();
}

/** An entry, locked: its status changes only through the holder of this lock. */
export function lockEntry(trx: Transaction<Database>, code: string, id: string) {
  return trx
    .selectFrom('bookingWaitlist')
    .selectAll()
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The line of a slot, oldest first, each entry locked; entries another transaction is
 * offering or ending right now are skipped (it decides about them).
 */
export function lockedLine(trx: Transaction<Database>, code: string, slotId: string) {
  return trx
    .selectFrom('bookingWaitlist')
    .selectAll()
    .where('municipalityCode', '=', code)
    .where('slotId', '=', slotId)
    .where('status', '=', 'waiting')
    .orderBy('joinedAt')
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markOffered(
  trx: Transaction<Database>,
  code: string,
  id: string,
  at: Date,
  expiresAt: Date,
): Promise<void> {
  await trx
    .updateTable('bookingWaitlist')
    .set({ status: 'offered', offeredAt: at, offerExpiresAt: expiresAt })
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .execute();
}

/** Ends a live entry; undefined when it was not in one of `from` any more. */
export function endEntry(
  trx: Transaction<Database>,
  code: string,
  id: string,
  status: Exclude<WaitlistStatus, 'waiting' | 'offered'>,
  from: readonly ('waiting' | 'offered')[],
) {
  return trx
    .updateTable('bookingWaitlist')
    .set({ status, endedAt: sql<Date>`now()` })
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .where('status', 'in', from)
    .returning(['id', 'slotId', 'places', 'status'])
    .executeTakeFirst();
}

/** Offers whose time is up, locked (another worker skips them). */
export function lockedDueOffers(trx: Transaction<Database>, now: Date, limit: number) {
  return trx
    .selectFrom('bookingWaitlist')
    .select(['municipalityCode', 'id', 'slotId', 'places'])
    .where('status', '=', 'offered')
    .where('offerExpiresAt', '<=', now)
    .orderBy('offerExpiresAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The live entries holding any of these targets (in any slot but `except`), locked. */
export function lockedLiveEntriesOf(
  trx: Transaction<Database>,
  code: string,
  targetIds: readonly string[],
  except: string | null,
) {
  let query = trx
    .selectFrom('bookingWaitlist')
    .select(['id', 'slotId', 'places', 'status'])
    .where('municipalityCode', '=', code)
    .where('status', 'in', ['waiting', 'offered'])
    .where((eb) =>
      eb.or(
        targetIds.map(
          (targetId) => sql<boolean>`members @> ${JSON.stringify([{ targetId }])}::text::jsonb`,
        ),
      ),
    );
  if (except) query = query.where('id', '<>', except);
  return query.forUpdate().skipLocked().execute();
}

/** Every live entry of a slot, locked (closing the slot ends them all). */
export function lockedLiveEntriesOfSlot(trx: Transaction<Database>, code: string, slotId: string) {
  return trx
    .selectFrom('bookingWaitlist')
    .select(['id', 'slotId', 'places', 'status', 'email', 'locale'])
    .where('municipalityCode', '=', code)
    .where('slotId', '=', slotId)
    .where('status', 'in', ['waiting', 'offered'])
    .forUpdate()
    .execute();
}

/** Future open slots with someone waiting and a place free: the sweep offers them. */
export function slotsWithRoomAndLine(q: Q, now: Date) {
  return q
    .selectFrom('bookingSlot as s')
    .select(['s.municipalityCode', 's.id'])
    .where('s.closedAt', 'is', null)
    .where('s.startsAt', '>', now)
    .whereRef('s.taken', '<', 's.capacity')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bookingWaitlist as w')
          .select(sql`1`.as('one'))
          .whereRef('w.municipalityCode', '=', 's.municipalityCode')
          .whereRef('w.slotId', '=', 's.id')
          .where('w.status', '=', 'waiting'),
      ),
    )
    .execute();
}

/** A signed-in target's live entries with their slot, facility and place in line. */
export function liveEntriesOfTarget(q: Q, code: string, targetId: string) {
  return q
    .selectFrom('bookingWaitlist as w')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'w.municipalityCode').onRef('s.id', '=', 'w.slotId'),
    )
    .innerJoin('facility as f', (j) =>
      j.onRef('f.municipalityCode', '=', 's.municipalityCode').onRef('f.id', '=', 's.facilityId'),
    )
    .select((eb) => [
      'w.id',
      'w.status',
      'w.places',
      'w.offerExpiresAt',
      's.startsAt',
      's.endsAt',
      'f.nameJa',
      'f.nameEn',
      eb
        .selectFrom('bookingWaitlist as o')
        .select(sql<number>`count(*)::int`.as('ahead'))
        .whereRef('o.municipalityCode', '=', 'w.municipalityCode')
        .whereRef('o.slotId', '=', 'w.slotId')
        .where('o.status', '=', 'waiting')
        .where(sql<boolean>`(o.joined_at, o.id) < (w.joined_at, w.id)`)
        .as('ahead'),
    ])
    .where('w.municipalityCode', '=', code)
    .where('w.targetId', '=', targetId)
    .where('w.status', 'in', ['waiting', 'offered'])
    .orderBy('s.startsAt')
    .execute();
}

/** People waiting per slot (entries and places), for the staff's day view. */
export async function waitingBySlot(q: Q, code: string, slotIds: readonly string[]) {
  if (slotIds.length === 0) return new Map<string, { entries: number; offered: number }>();
  const rows = await q
    .selectFrom('bookingWaitlist')
    .select([
      'slotId',
      sql<number>`count(*) filter (where status = 'waiting')::int`.as('entries'),
      sql<number>`count(*) filter (where status = 'offered')::int`.as('offered'),
    ])
    .where('municipalityCode', '=', code)
    .where('slotId', 'in', slotIds)
    .where('status', 'in', ['waiting', 'offered'])
    .groupBy('slotId')
    .execute();
  return new Map(rows.map((r) => [r.slotId, { entries: r.entries, offered: r.offered }]));
}
