/** Queries of bookings and the places they take (first argument: the caller's trx or db). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { jsonb } from '../../db/jsonb.ts';
import type { AuditEntry } from '../audit/audit.ts';
import type { BookingRequest } from './booking.service.server.ts';
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

/**
 * Everything book() reads before it locks anyone, in one statement (decision 0053 addendum):
 * an earlier booking made with this idempotency key, the kind's rules (null: the defaults),
 * the slot as findSlotForBooking reads it (null: not in this city), and the city's closed
 * days from `today` to the slot's day.
 */
export async function bookingContext(
  q: Q,
  request: { code: string; kind: AppointmentKind; slotId: string; idempotencyKey: string },
  today: string,
) {
  const { code, kind, slotId, idempotencyKey } = request;
  const { rows } = await sql<{
    replayId: string | null;
    ruleFound: boolean;
    deadlineWorkingDays: number | null;
    deadlineTime: string | null;
    maxPeople: number | null;
    horizonDays: number | null;
    questions: unknown;
    waitlistHoldHours: number | null;
    slotFound: boolean;
    facilityId: string | null;
    startsAt: Date | null;
    endsAt: Date | null;
    capacity: number | null;
    taken: number | null;
    closedAt: Date | null;
    kinds: AppointmentKind[] | null;
    archivedAt: Date | null;
    published: boolean | null;
    closedDays: string[];
  }>`
    select
      (select id from booking where municipality_code = ${code}
        and idempotency_key = ${idempotencyKey}) as "replayId",
      r.municipality_code is not null as "ruleFound",
      r.deadline_working_days as "deadlineWorkingDays", r.deadline_time::text as "deadlineTime",
      r.max_people as "maxPeople", r.horizon_days as "horizonDays", r.questions,
      r.waitlist_hold_hours as "waitlistHoldHours",
      s.id is not null as "slotFound", s.facility_id as "facilityId", s.starts_at as "startsAt",
      s.ends_at as "endsAt", s.capacity, s.taken, s.closed_at as "closedAt",
      s.kinds::text[] as kinds, s.archived_at as "archivedAt", s.published,
      array(select d.day::text from booking_closed_day d
        where d.municipality_code = ${code} and d.day >= ${today}::date
          and d.day <= (s.starts_at at time zone 'Asia/Tokyo')::date
        order by d.day) as "closedDays"
    from (select 1) as one
    left join booking_rule r on r.municipality_code = ${code} and r.kind = ${kind}
    left join lateral (
      select s.*, f.kinds, f.archived_at, exists (
        select 1 from booking_week w
        where w.municipality_code = s.municipality_code and w.facility_id = s.facility_id
          and w.week_start = date_trunc('week', s.starts_at at time zone 'Asia/Tokyo')::date
      ) as published
      from booking_slot s
      join facility f on f.municipality_code = s.municipality_code and f.id = s.facility_id
      where s.municipality_code = ${code} and s.id = ${slotId}::uuid
    ) s on true`.execute(q);
  const row = rows[0]!;
  return {
    replayId: row.replayId,
    rules: row.ruleFound
      ? {
          deadlineWorkingDays: row.deadlineWorkingDays!,
          deadlineTime: row.deadlineTime!,
          maxPeople: row.maxPeople!,
          horizonDays: row.horizonDays!,
          questions: row.questions,
          waitlistHoldHours: row.waitlistHoldHours!,
        }
      : undefined,
    slot: row.slotFound
      ? {
          id: slotId,
          facilityId: row.facilityId!,
          startsAt: row.startsAt!,
          endsAt: row.endsAt!,
          capacity: row.capacity!,
          taken: row.taken!,
          closedAt: row.closedAt,
          kinds: row.kinds!,
          archivedAt: row.archivedAt,
          published: row.published!,
        }
      : undefined,
    closedDays: new Set(row.closedDays),
  };
}

/** What booking_book answers (migration 20261203_0047, decision 0071). */
export type BookStatementOutcome =
  | 'booked'
  | 'replayed'
  | 'member_already_booked'
  | 'member_cannot_book'
  | 'needs_transaction'
  | 'offer_expired'
  | 'slot_full';

/**
 * book()'s writing part in one statement (decision 0071): lock the targets by id, answer a
 * replay committed meanwhile, refuse members already booked or not bookable, take the places
 * (or consume the held offer), insert the booking, its members and the audit entry, move
 * pickup targets to 'booked' and close their residents' to-dos. A refusal writes nothing.
 * `alone`: the statement is its own transaction, so people waiting in a line are refused
 * ('needs_transaction'): their entries are dropped in TypeScript, in a transaction.
 */
export async function bookInOneStatement(
  q: Q,
  request: BookingRequest,
  statement: {
    bookingId: string;
    bookableState: string;
    offerId: string | null;
    todoKind: string;
    now: Date;
    alone: boolean;
  },
  audit: AuditEntry,
) {
  const r = request;
  const s = statement;
  const targetIds = r.members.map((m) => m.targetId);
  const verifiedBy = r.members.map((m) => m.verifiedBy);
  const { rows } = await sql<{
    outcome: BookStatementOutcome;
    bookingId: string | null;
    targetIds: string[] | null;
    placesLeft: number | null;
    waitlisted: boolean | null;
  }>`
    select outcome, booking_id as "bookingId", target_ids as "targetIds",
      places_left as "placesLeft", waitlisted
    from booking_book(${r.municipalityCode}, ${r.kind}, ${r.slotId}::uuid,
      ${s.bookingId}::uuid, ${targetIds}::uuid[], ${verifiedBy}::text[], ${s.bookableState},
      ${r.email}, ${r.phone ?? ''}, ${r.locale}, ${jsonb(r.answers ?? {})},
      ${r.needs ?? []}::text[], ${r.idempotencyKey}, ${r.via}, ${r.staffId ?? null}::uuid,
      ${s.offerId}::uuid, ${s.todoKind}, ${s.now}::timestamptz,
      ${jsonb(audit)}, ${s.alone})`.execute(q);
  return rows[0]!;
}

/**
 * Moves pickup targets to `state` in one update; the history trigger (migration
 * 20261202_0025) writes a row per target with who and why, read from the two settings the
 * same statement sets first (as updateTargetState does, for many targets at once).
 */
export async function moveTargets(
  trx: Transaction<Database>,
  code: string,
  targetIds: readonly string[],
  state: 'booked' | 'letter_printed',
  move: { by: string | null; reason?: string | null },
): Promise<void> {
  if (targetIds.length === 0) return;
  await sql`
    with mover as (
      select set_config('madoguchi.move_by', ${move.by ?? ''}, true) as by,
        set_config('madoguchi.move_reason', ${move.reason ?? ''}, true) as reason
    )
    update pickup_target set state = ${state}
    from mover
    where municipality_code = ${code} and id = any(${targetIds}::uuid[])`.execute(trx);
}
