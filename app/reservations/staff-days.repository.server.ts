/**
 * What staff read of bookings (issue 12, day and month views, decision 0053): the slots of a
 * facility's day with their active bookings and the people they hold, and counts per day of a
 * month. Cancelled bookings are never counted; `taken` is the slot's own column, kept exact by
 * the booking transaction.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { AppointmentKind } from './booking-rules.ts';

/** Booking ids: a list, or a query selecting them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query whose one column is `id`
type BookingIds = readonly string[] | SelectQueryBuilder<Database, any, { id: string }>;

export function facilitiesOf(db: Db, code: string) {
  return db
    .selectFrom('facility')
    .select(['id', 'nameJa', 'nameEn', 'kinds'])
    .where('municipalityCode', '=', code)
    .where('archivedAt', 'is', null)
    .orderBy('nameJa')
    .orderBy('id')
    .execute();
}

/** The slots of one facility starting in [from, to), in time order. */
export function slotsBetween(db: Db, code: string, facilityId: string, from: Date, to: Date) {
  return db
    .selectFrom('bookingSlot')
    .select(['id', 'startsAt', 'endsAt', 'capacity', 'taken', 'closedAt'])
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('startsAt', '>=', from)
    .where('startsAt', '<', to)
    .orderBy('startsAt')
    .execute();
}

/**
 * The people bookings hold: pickup targets (booking_member) and, for e-certificate renewals,
 * renewal targets (booking_renewal_member, decision 0055), in one shape. Only the active
 * memberships unless `all` (a cancelled booking's page still names whom it held). `bookings`
 * (booking ids, a list or a subquery) is applied inside both halves of the union: joined from
 * outside, PostgreSQL would read every member and target of the city first (a day list of
 * 480 people read the whole city's 10,000).
 */
function peopleOfBookings(db: Db, code: string, bookings: BookingIds, all = false) {
  return db
    .selectFrom('bookingMember as m')
    .innerJoin('pickupTarget as t', (j) =>
      j.onRef('t.municipalityCode', '=', 'm.municipalityCode').onRef('t.id', '=', 'm.targetId'),
    )
    .select([
      'm.bookingId',
      't.id as targetId',
      't.reservationId',
      't.name',
      sql<string | null>`t.name_kana`.as('nameKana'),
      sql<string>`t.state::text`.as('state'),
    ])
    .where('m.municipalityCode', '=', code)
    .where('m.bookingId', 'in', bookings)
    .$if(!all, (q) => q.where('m.active', '=', true))
    .unionAll(
      db
        .selectFrom('bookingRenewalMember as m')
        .innerJoin('renewalTarget as r', (j) =>
          j
            .onRef('r.municipalityCode', '=', 'm.municipalityCode')
            .onRef('r.id', '=', 'm.renewalTargetId'),
        )
        .select([
          'm.bookingId',
          'r.id as targetId',
          'r.reservationId',
          'r.name',
          sql<string | null>`r.name_kana`.as('nameKana'),
          sql<string>`r.state::text`.as('state'),
        ])
        .where('m.municipalityCode', '=', code)
        .where('m.bookingId', 'in', bookings)
        .$if(!all, (q) => q.where('m.active', '=', true)),
    );
}

/** The active bookings of a facility's slots starting in [from, to), with their members. */
export function bookingsBetween(db: Db, code: string, facilityId: string, from: Date, to: Date) {
  const inPeriod = db
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .select('b.id')
    .where('b.municipalityCode', '=', code)
    .where('b.status', '=', 'booked')
    .where('s.facilityId', '=', facilityId)
    .where('s.startsAt', '>=', from)
    .where('s.startsAt', '<', to);
  return db
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .innerJoin(peopleOfBookings(db, code, inPeriod).as('t'), 't.bookingId', 'b.id')
    .select([
      'b.id as bookingId',
      'b.slotId',
      's.startsAt',
      'b.kind',
      'b.places',
      'b.phone',
      'b.email',
      'b.needs',
      'b.answers',
      'b.bookedVia',
      'b.createdAt',
      't.targetId',
      't.reservationId',
      't.name',
      't.nameKana',
      't.state',
    ])
    .where('b.municipalityCode', '=', code)
    .where('b.status', '=', 'booked')
    .where('s.facilityId', '=', facilityId)
    .where('s.startsAt', '>=', from)
    .where('s.startsAt', '<', to)
    .orderBy('s.startsAt')
    .orderBy('b.createdAt')
    .orderBy('b.id')
    .orderBy('t.nameKana')
    .execute();
}

/**
 * Per day (Asia/Tokyo) of [from, to): slots, places and places taken (open slots only), and
 * active bookings with the places they hold.
 */
export async function countsPerDay(db: Db, code: string, facilityId: string, from: Date, to: Date) {
  const rows = await sql<{
    day: string;
    slots: number;
    capacity: number;
    taken: number;
    bookings: number;
    bookedPlaces: number;
  }>`
    select to_char(s.starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day,
      count(*) filter (where s.closed_at is null)::int as slots,
      coalesce(sum(s.capacity) filter (where s.closed_at is null), 0)::int as capacity,
      coalesce(sum(s.taken), 0)::int as taken,
      coalesce(sum(b.bookings), 0)::int as bookings,
      coalesce(sum(b.places), 0)::int as "bookedPlaces"
    from booking_slot s
    left join lateral (
      select count(*) as bookings, sum(places) as places from booking
      where municipality_code = s.municipality_code and slot_id = s.id and status = 'booked'
    ) b on true
    where s.municipality_code = ${code} and s.facility_id = ${facilityId}
      and s.starts_at >= ${from} and s.starts_at < ${to}
    group by 1 order by 1`.execute(db);
  return rows.rows;
}

/**
 * A target by its reservation ID, for a clerk booking on the phone: a pickup target, or for an
 * e-certificate renewal a renewal target (decision 0055 addendum).
 */
export function targetByReservationId(
  db: Db,
  code: string,
  reservationId: string,
  kind: AppointmentKind = 'card_pickup',
) {
  return db
    .selectFrom(kind === 'cert_renewal' ? 'renewalTarget' : 'pickupTarget')
    .select(['id', 'name'])
    .where('municipalityCode', '=', code)
    .where('reservationId', '=', reservationId)
    .executeTakeFirst();
}

/** An active or cancelled booking with its slot's facility and start. */
export function bookingWithSlot(db: Db, code: string, bookingId: string) {
  return db
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .select([
      'b.id',
      'b.status',
      'b.places',
      'b.kind',
      'b.slotId',
      's.facilityId',
      's.startsAt',
      's.endsAt',
    ])
    .where('b.municipalityCode', '=', code)
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

/** Everyone a booking holds or held (a cancelled booking's members are no longer active). */
export function membersOfBooking(db: Db, code: string, bookingId: string) {
  return db
    .selectFrom(peopleOfBookings(db, code, [bookingId], true).as('t'))
    .select(['t.targetId as id', 't.name', 't.reservationId'])
    .orderBy('t.nameKana')
    .execute();
}
