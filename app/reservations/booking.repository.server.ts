/** Queries of bookings and the places they take (first argument: the caller's trx or db). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BookingNeed, Database } from '../../db/schema.ts';
import { jsonb } from '../../db/jsonb.ts';
import type { AppointmentKind } from './booking-rules.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A slot as the booking transaction sees it, with whether its week is published. */
export function findSlotForBooking(q: Q, municipalityCode: string, slotId: string) {
  return q
    .selectFrom('bookingSlot as s')
    .innerJoin('facility as f', (j) =>
      j.onRef('f.municipalityCode', '=', 's.municipalityCode').onRef('f.id', '=', 's.facilityId'),
    )
    .select([
      's.id',
      's.facilityId',
      's.startsAt',
      's.endsAt',
      's.capacity',
      's.taken',
      's.closedAt',
      'f.kinds',
      'f.archivedAt',
      sql<boolean>`exists (
        select 1 from booking_week w
        where w.municipality_code = s.municipality_code and w.facility_id = s.facility_id
          and w.week_start = date_trunc('week', s.starts_at at time zone 'Asia/Tokyo')::date
      )`.as('published'),
    ])
    .where('s.municipalityCode', '=', municipalityCode)
    .where('s.id', '=', slotId)
    .executeTakeFirst();
}

/**
 * Takes `places` places of a slot in one conditional update: no read-then-write window, so two
 * bookings can never both take the last place. Undefined when the places are not there (or the
 * slot is closed); the CHECK on booking_slot refuses an overfull slot whatever calls this.
 */
export function takePlaces(
  trx: Transaction<Database>,
  code: string,
  slotId: string,
  places: number,
) {
  return trx
    .updateTable('bookingSlot')
    .set({ taken: sql`taken + ${places}` })
    .where('municipalityCode', '=', code)
    .where('id', '=', slotId)
    .where('closedAt', 'is', null)
    .where(sql<boolean>`taken + ${places} <= capacity`)
    .returning(['taken', 'capacity'])
    .executeTakeFirst();
}

/** Gives back exactly what a booking took. */
export async function releasePlaces(
  trx: Transaction<Database>,
  code: string,
  slotId: string,
  places: number,
): Promise<void> {
  await trx
    .updateTable('bookingSlot')
    .set({ taken: sql`taken - ${places}` })
    .where('municipalityCode', '=', code)
    .where('id', '=', slotId)
    .execute();
}

export function findBookingByKey(q: Q, code: string, idempotencyKey: string) {
  return q
    .selectFrom('booking')
    .select(['id', 'slotId', 'places', 'status'])
    .where('municipalityCode', '=', code)
    .where('idempotencyKey', '=', idempotencyKey)
    .executeTakeFirst();
}

export function lockBooking(trx: Transaction<Database>, code: string, bookingId: string) {
  return trx
    .selectFrom('booking')
    .selectAll()
    .where('municipalityCode', '=', code)
    .where('id', '=', bookingId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The targets, locked, in a fixed order (so two group bookings never deadlock): pickup
 * targets, or renewal targets for a 'cert_renewal' booking (decision 0055).
 */
export function lockTargets(
  trx: Transaction<Database>,
  code: string,
  targetIds: readonly string[],
  kind: AppointmentKind = 'card_pickup',
) {
  const table = kind === 'cert_renewal' ? 'renewalTarget' : 'pickupTarget';
  return trx
    .selectFrom(table as 'pickupTarget')
    .select(['id', sql<string>`state::text`.as('state'), 'reservationId'])
    .where('municipalityCode', '=', code)
    .where('id', 'in', targetIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function activeMemberships(
  q: Q,
  code: string,
  targetIds: readonly string[],
  kind: AppointmentKind = 'card_pickup',
) {
  if (kind === 'cert_renewal')
    return q
      .selectFrom('bookingRenewalMember')
      .select(['renewalTargetId as targetId', 'bookingId'])
      .where('municipalityCode', '=', code)
      .where('renewalTargetId', 'in', targetIds)
      .where('active', '=', true)
      .execute();
  return q
    .selectFrom('bookingMember')
    .select(['targetId', 'bookingId'])
    .where('municipalityCode', '=', code)
    .where('targetId', 'in', targetIds)
    .where('active', '=', true)
    .execute();
}

export async function insertBooking(
  trx: Transaction<Database>,
  booking: {
    municipalityCode: string;
    kind: AppointmentKind;
    slotId: string;
    places: number;
    email: string | null;
    phone: string;
    locale: 'ja' | 'en';
    answers: Record<string, unknown>;
    needs: BookingNeed[];
    idempotencyKey: string;
    bookedVia: 'letter' | 'portal' | 'staff';
    bookedByStaff: string | null;
  },
  members: readonly {
    targetId: string;
    verifiedBy: 'session' | 'password' | 'birth_date' | 'staff';
  }[],
): Promise<string> {
  const { id } = await trx
    .insertInto('booking')
    .values({ ...booking, answers: jsonb(booking.answers) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const base = { municipalityCode: booking.municipalityCode, bookingId: id };
  if (booking.kind === 'cert_renewal')
    await trx
      .insertInto('bookingRenewalMember')
      .values(
        members.map((m) => ({ ...base, renewalTargetId: m.targetId, verifiedBy: m.verifiedBy })),
      )
      .execute();
  else
    await trx
      .insertInto('bookingMember')
      .values(members.map((m) => ({ ...base, ...m })))
      .execute();
  return id;
}

export async function markCancelled(
  trx: Transaction<Database>,
  code: string,
  bookingId: string,
  by: { staffId: string | null; reason: string | null },
): Promise<string[]> {
  await trx
    .updateTable('booking')
    .set({
      status: 'cancelled',
      cancelledAt: sql<Date>`now()`,
      cancelledByStaff: by.staffId,
      cancelReason: by.reason,
    })
    .where('municipalityCode', '=', code)
    .where('id', '=', bookingId)
    .execute();
  const rows = await trx
    .updateTable('bookingMember')
    .set({ active: false })
    .where('municipalityCode', '=', code)
    .where('bookingId', '=', bookingId)
    .where('active', '=', true)
    .returning('targetId')
    .execute();
  await trx
    .updateTable('bookingRenewalMember')
    .set({ active: false })
    .where('municipalityCode', '=', code)
    .where('bookingId', '=', bookingId)
    .where('active', '=', true)
    .execute();
  // The pickup targets, whose lifecycle goes back; a renewal target's state is not a booking's.
  return rows.map((r) => r.targetId);
}

export async function moveToSlot(
  trx: Transaction<Database>,
  code: string,
  bookingId: string,
  slotId: string,
): Promise<void> {
  await trx
    .updateTable('booking')
    .set({ slotId })
    .where('municipalityCode', '=', code)
    .where('id', '=', bookingId)
    .execute();
}

export async function rulesFor(q: Q, code: string, kind: AppointmentKind) {
  return q
    .selectFrom('bookingRule')
    .select([
      'deadlineWorkingDays',
      'deadlineTime',
      'maxPeople',
      'horizonDays',
      'questions',
      'waitlistHoldHours',
    ])
    .where('municipalityCode', '=', code)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** The city's own closed days between two dates (inclusive). */
export async function cityClosedDays(q: Q, code: string, from: string, to: string) {
  const rows = await q
    .selectFrom('bookingClosedDay')
    .select('day')
    .where('municipalityCode', '=', code)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();
  return new Set(rows.map((r) => r.day));
}

/** The renewal targets a 'cert_renewal' booking holds (decision 0055). */
export async function renewalMembersOf(q: Q, code: string, bookingId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('bookingRenewalMember')
    .select('renewalTargetId')
    .where('municipalityCode', '=', code)
    .where('bookingId', '=', bookingId)
    .where('active', '=', true)
    .orderBy('renewalTargetId')
    .execute();
  return rows.map((r) => r.renewalTargetId);
}
