/** Queries of the resident booking flow (decision 0052): what a resident may choose and has booked. */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AppointmentKind } from './booking-rules.ts';

/** Facilities taking a kind with at least one published week from `fromWeek` on. */
export function facilitiesTaking(db: Db, code: string, kind: AppointmentKind, fromWeek: string) {
  return db
    .selectFrom('facility as f')
    .select(['f.id', 'f.nameJa', 'f.nameEn', 'f.addressJa', 'f.addressEn', 'f.phone'])
    .where('f.municipalityCode', '=', code)
    .where('f.archivedAt', 'is', null)
    .where(sql<boolean>`${kind} = any(f.kinds)`)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bookingWeek as w')
          .select('w.weekStart')
          .whereRef('w.municipalityCode', '=', 'f.municipalityCode')
          .whereRef('w.facilityId', '=', 'f.id')
          .where('w.weekStart', '>=', fromWeek),
      ),
    )
    .orderBy('f.nameJa')
    .execute();
}

/** Open slots of a facility in published weeks, starting within [from, to). */
export function publishedSlots(db: Db, code: string, facilityId: string, from: Date, to: Date) {
  return db
    .selectFrom('bookingSlot as s')
    .select(['s.id', 's.startsAt', 's.endsAt', 's.capacity', 's.taken', 's.closedAt'])
    .where('s.municipalityCode', '=', code)
    .where('s.facilityId', '=', facilityId)
    .where('s.startsAt', '>=', from)
    .where('s.startsAt', '<', to)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bookingWeek as w')
          .select('w.weekStart')
          .whereRef('w.municipalityCode', '=', 's.municipalityCode')
          .whereRef('w.facilityId', '=', 's.facilityId')
          .where(
            sql<boolean>`w.week_start = date_trunc('week', s.starts_at at time zone 'Asia/Tokyo')::date`,
          ),
      ),
    )
    .orderBy('s.startsAt')
    .execute();
}

/**
 * The active booking holding a target, with its slot and facility: a pickup target's, or a
 * renewal target's (decision 0055; ids are UUIDs, so one id names one of them).
 */
export function activeBookingOf(db: Db, code: string, targetId: string) {
  const held = db
    .selectFrom('bookingMember')
    .select('bookingId')
    .where('municipalityCode', '=', code)
    .where('targetId', '=', targetId)
    .where('active', '=', true)
    .unionAll(
      db
        .selectFrom('bookingRenewalMember')
        .select('bookingId')
        .where('municipalityCode', '=', code)
        .where('renewalTargetId', '=', targetId)
        .where('active', '=', true),
    );
  return db
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .innerJoin('facility as f', (j) =>
      j.onRef('f.municipalityCode', '=', 's.municipalityCode').onRef('f.id', '=', 's.facilityId'),
    )
    .select([
      'b.id',
      'b.kind',
      'b.slotId',
      'b.places',
      'b.email',
      'b.phone',
      'b.needs',
      's.startsAt',
      's.endsAt',
      's.facilityId',
      'f.nameJa',
      'f.nameEn',
      'f.addressJa',
      'f.addressEn',
      'f.phone as facilityPhone',
    ])
    .where('b.municipalityCode', '=', code)
    .where('b.id', 'in', held)
    .where('b.status', '=', 'booked')
    .executeTakeFirst();
}

/** The reservation IDs a booking holds, in the order they were added. */
export async function reservationIdsOf(db: Db, code: string, bookingId: string) {
  const rows = await db
    .selectFrom('bookingMember as m')
    .innerJoin('pickupTarget as t', (j) =>
      j.onRef('t.municipalityCode', '=', 'm.municipalityCode').onRef('t.id', '=', 'm.targetId'),
    )
    .select(['t.reservationId'])
    .where('m.municipalityCode', '=', code)
    .where('m.bookingId', '=', bookingId)
    .where('m.active', '=', true)
    .unionAll(
      db
        .selectFrom('bookingRenewalMember as m')
        .innerJoin('renewalTarget as r', (j) =>
          j
            .onRef('r.municipalityCode', '=', 'm.municipalityCode')
            .onRef('r.id', '=', 'm.renewalTargetId'),
        )
        .select(['r.reservationId'])
        .where('m.municipalityCode', '=', code)
        .where('m.bookingId', '=', bookingId)
        .where('m.active', '=', true),
    )
    .execute();
  return rows.map((r) => r.reservationId ?? '');
}

/**
 * Targets by id with their reservation IDs (the people step's list): pickup or
 * renewal targets (decision 0055; ids are UUIDs, so one id names one of them).
 */
export function targetsByIds(db: Db, code: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('pickupTarget')
    .select(['id', 'reservationId'])
    .where('municipalityCode', '=', code)
    .where('id', 'in', ids)
    .unionAll(
      db
        .selectFrom('renewalTarget')
        .select(['id', 'reservationId'])
        .where('municipalityCode', '=', code)
        .where('id', 'in', ids),
    )
    .execute();
}

/**
 * A target as the member check reads it, by reservation ID: a pickup target, or a renewal
 * target for an e-certificate renewal booking (decision 0055 addendum).
 */
export function findMemberTarget(
  db: Db,
  reservationId: string,
  subject: 'pickup' | 'renewal' = 'pickup',
) {
  const columns = [
    'municipalityCode',
    'id',
    'passwordHash',
    'birthDate',
    'state',
    'reservationId',
  ] as const;
  if (subject === 'renewal')
    return db
      .selectFrom('renewalTarget')
      .select(columns)
      .where('reservationId', '=', reservationId)
      .executeTakeFirst();
  return db
    .selectFrom('pickupTarget')
    .select(columns)
    .where('reservationId', '=', reservationId)
    .executeTakeFirst();
}
