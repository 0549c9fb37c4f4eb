/** Queries of the staff calendar: facilities, hours, closed days, slots and published weeks. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppointmentKind, Database } from '../../db/schema.ts';
import { jsonb } from '../../db/jsonb.ts';
import type { FacilityInput } from './facility.schema.ts';
import type { MapContentType, PlannedSlot, Span } from './facility.ts';

type Q = Kysely<Database> | Transaction<Database>;

const FACILITY_COLUMNS = [
  'id',
  'nameJa',
  'nameEn',
  'addressJa',
  'addressEn',
  'phone',
  'directionsJa',
  'directionsEn',
  'kinds',
  'slotMinutes',
  'placesPerSlot',
  'archivedAt',
  'mapContentType',
] as const;

export function listFacilities(q: Q, code: string) {
  return q
    .selectFrom('facility')
    .select(FACILITY_COLUMNS)
    .where('municipalityCode', '=', code)
    .orderBy('archivedAt', (o) => o.nullsFirst())
    .orderBy('nameJa')
    .execute();
}

export function findFacility(q: Q, code: string, id: string) {
  return q
    .selectFrom('facility')
    .select(FACILITY_COLUMNS)
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertFacility(q: Q, code: string, input: FacilityInput) {
  const row = await q
    .insertInto('facility')
    .values({ municipalityCode: code, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function updateFacility(q: Q, code: string, id: string, input: FacilityInput) {
  return q
    .updateTable('facility')
    .set({ ...input, updatedAt: sql`now()` })
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function setArchived(q: Q, code: string, id: string, archived: boolean) {
  return q
    .updateTable('facility')
    .set({ archivedAt: archived ? sql`now()` : null, updatedAt: sql`now()` })
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function setMap(
  q: Q,
  code: string,
  id: string,
  map: { bytes: Uint8Array; contentType: MapContentType } | null,
) {
  return q
    .updateTable('facility')
    .set({
      mapImage: map?.bytes ?? null,
      mapContentType: map?.contentType ?? null,
      updatedAt: sql`now()`,
    })
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A facility's map, for the public resource route (archived facilities keep theirs). */
export function findMap(q: Q, code: string, id: string) {
  return q
    .selectFrom('facility')
    .select(['mapImage', 'mapContentType', 'updatedAt'])
    .where('municipalityCode', '=', code)
    .where('id', '=', id)
    .where('mapImage', 'is not', null)
    .executeTakeFirst();
}

export async function hoursOf(q: Q, code: string, facilityId: string) {
  const rows = await q
    .selectFrom('facilityHours')
    .select(['weekday', 'opens', 'closes'])
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .orderBy('weekday')
    .orderBy('opens')
    .execute();
  return rows.map((r) => ({
    weekday: r.weekday,
    opens: r.opens.slice(0, 5),
    closes: r.closes.slice(0, 5),
  }));
}

/** Replaces every opening span of a facility (the caller's transaction). */
export async function replaceHours(
  trx: Transaction<Database>,
  code: string,
  facilityId: string,
  hours: (Span & { weekday: number })[],
) {
  await trx
    .deleteFrom('facilityHours')
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .execute();
  if (hours.length)
    await trx
      .insertInto('facilityHours')
      .values(hours.map((h) => ({ municipalityCode: code, facilityId, ...h })))
      .execute();
}

export function listClosedDays(q: Q, code: string, from: string) {
  return q
    .selectFrom('bookingClosedDay')
    .select(['day', 'reasonJa', 'reasonEn'])
    .where('municipalityCode', '=', code)
    .where('day', '>=', from)
    .orderBy('day')
    .execute();
}

export function insertClosedDay(
  q: Q,
  code: string,
  row: { day: string; reasonJa: string; reasonEn: string; createdBy: string | null },
) {
  return q
    .insertInto('bookingClosedDay')
    .values({ municipalityCode: code, ...row })
    .onConflict((c) => c.columns(['municipalityCode', 'day']).doNothing())
    .returning('day')
    .executeTakeFirst();
}

export function deleteClosedDay(q: Q, code: string, day: string) {
  return q
    .deleteFrom('bookingClosedDay')
    .where('municipalityCode', '=', code)
    .where('day', '=', day)
    .returning('day')
    .executeTakeFirst();
}

/** Inserts the slots not there yet (a slot is its facility and start): running twice adds none. */
export async function insertSlots(
  q: Q,
  code: string,
  facilityId: string,
  capacity: number,
  slots: readonly PlannedSlot[],
): Promise<number> {
  if (slots.length === 0) return 0;
  const rows = await q
    .insertInto('bookingSlot')
    .values(
      slots.map((s) => ({
        municipalityCode: code,
        facilityId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity,
      })),
    )
    .onConflict((c) => c.columns(['municipalityCode', 'facilityId', 'startsAt']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

const weekOf = sql<string>`date_trunc('week', starts_at at time zone 'Asia/Tokyo')::date::text`;

/** Per week from `from` (a Monday): slots, places and places taken (open slots only). */
export function weekFigures(q: Q, code: string, facilityId: string, from: string, to: string) {
  return q
    .selectFrom('bookingSlot')
    .select([
      weekOf.as('week'),
      sql<number>`count(*)::int`.as('slots'),
      sql<number>`coalesce(sum(capacity) filter (where closed_at is null), 0)::int`.as('capacity'),
      sql<number>`coalesce(sum(taken), 0)::int`.as('taken'),
    ])
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('startsAt', '>=', sql<Date>`${from}::date::timestamp at time zone 'Asia/Tokyo'`)
    .where('startsAt', '<', sql<Date>`${to}::date::timestamp at time zone 'Asia/Tokyo'`)
    .groupBy(weekOf)
    .execute();
}

export function publishedWeeks(q: Q, code: string, facilityId: string, from: string) {
  return q
    .selectFrom('bookingWeek')
    .select(['weekStart', 'publishedAt'])
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('weekStart', '>=', from)
    .execute();
}

export function insertWeek(
  q: Q,
  code: string,
  facilityId: string,
  weekStart: string,
  by: string | null,
) {
  return q
    .insertInto('bookingWeek')
    .values({ municipalityCode: code, facilityId, weekStart, publishedBy: by })
    .onConflict((c) => c.columns(['municipalityCode', 'facilityId', 'weekStart']).doNothing())
    .returning('weekStart')
    .executeTakeFirst();
}

export function deleteWeek(q: Q, code: string, facilityId: string, weekStart: string) {
  return q
    .deleteFrom('bookingWeek')
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('weekStart', '=', weekStart)
    .returning('weekStart')
    .executeTakeFirst();
}

const inWeek = (weekStart: string) =>
  sql<boolean>`s.starts_at >= ${weekStart}::date::timestamp at time zone 'Asia/Tokyo'
    and s.starts_at < (${weekStart}::date + 7)::timestamp at time zone 'Asia/Tokyo'`;

/** Active bookings in a facility's week (locks the week's slots against new bookings first). */
export async function activeBookingsInWeek(
  trx: Transaction<Database>,
  code: string,
  facilityId: string,
  weekStart: string,
) {
  await trx
    .selectFrom('bookingSlot as s')
    .select('s.id')
    .where('s.municipalityCode', '=', code)
    .where('s.facilityId', '=', facilityId)
    .where(inWeek(weekStart))
    .forUpdate()
    .execute();
  const row = await trx
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .select(sql<number>`count(*)::int`.as('n'))
    .where('b.municipalityCode', '=', code)
    .where('s.facilityId', '=', facilityId)
    .where('b.status', '=', 'booked')
    .where(inWeek(weekStart))
    .executeTakeFirstOrThrow();
  return row.n;
}

export function slotsOfWeek(q: Q, code: string, facilityId: string, weekStart: string) {
  return q
    .selectFrom('bookingSlot as s')
    .select([
      's.id',
      's.startsAt',
      's.endsAt',
      's.capacity',
      's.taken',
      's.closedAt',
      's.closedMessage',
      sql<number>`(select count(*)::int from booking b where b.municipality_code = s.municipality_code
        and b.slot_id = s.id and b.status = 'booked')`.as('bookings'),
    ])
    .where('s.municipalityCode', '=', code)
    .where('s.facilityId', '=', facilityId)
    .where(inWeek(weekStart))
    .orderBy('s.startsAt')
    .execute();
}

export function findSlot(q: Q, code: string, slotId: string) {
  return q
    .selectFrom('bookingSlot')
    .select(['id', 'facilityId', 'startsAt', 'capacity', 'taken', 'closedAt'])
    .where('municipalityCode', '=', code)
    .where('id', '=', slotId)
    .executeTakeFirst();
}

export async function activeBookingIds(q: Q, code: string, slotId: string) {
  const rows = await q
    .selectFrom('booking')
    .select('id')
    .where('municipalityCode', '=', code)
    .where('slotId', '=', slotId)
    .where('status', '=', 'booked')
    .orderBy('createdAt')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The open slots of a facility starting in [from, to); with `lock`, locked so nobody takes a
 * place in them meanwhile.
 */
export function openSlotsBetween(
  q: Q,
  code: string,
  facilityId: string,
  span: { from: Date; to: Date },
  lock: boolean,
) {
  const query = q
    .selectFrom('bookingSlot')
    .select(['id', 'startsAt'])
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('startsAt', '>=', span.from)
    .where('startsAt', '<', span.to)
    .where('closedAt', 'is', null)
    .orderBy('startsAt');
  return (lock ? query.forUpdate() : query).execute();
}

/** The slots of a facility starting in [from, to), open or closed. */
export async function slotCountBetween(
  q: Q,
  code: string,
  facilityId: string,
  span: { from: Date; to: Date },
) {
  const row = await q
    .selectFrom('bookingSlot')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('municipalityCode', '=', code)
    .where('facilityId', '=', facilityId)
    .where('startsAt', '>=', span.from)
    .where('startsAt', '<', span.to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The active bookings of some slots: their places and whether they have an address. */
export function activeBookingsOfSlots(q: Q, code: string, slotIds: readonly string[]) {
  if (slotIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('booking')
    .select(['id', 'places', 'email'])
    .where('municipalityCode', '=', code)
    .where('slotId', 'in', slotIds)
    .where('status', '=', 'booked')
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export function markSlotClosed(
  q: Q,
  code: string,
  slotId: string,
  by: { staffId: string | null; message: string | null },
) {
  return q
    .updateTable('bookingSlot')
    .set({ closedAt: sql`now()`, closedBy: by.staffId, closedMessage: by.message })
    .where('municipalityCode', '=', code)
    .where('id', '=', slotId)
    .where('closedAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** Sets a slot's places; the CHECK on booking_slot refuses fewer than are taken. */
export function setCapacity(q: Q, code: string, slotId: string, capacity: number) {
  return q
    .updateTable('bookingSlot')
    .set({ capacity })
    .where('municipalityCode', '=', code)
    .where('id', '=', slotId)
    .returning(['capacity', 'taken'])
    .executeTakeFirst();
}

export function upsertRule(
  q: Q,
  code: string,
  rule: {
    kind: AppointmentKind;
    deadlineWorkingDays: number;
    deadlineTime: string;
    maxPeople: number;
    horizonDays: number;
    waitlistHoldHours: number;
    questions: unknown[];
    updatedBy: string | null;
  },
) {
  const values = { ...rule, questions: jsonb(rule.questions) };
  return q
    .insertInto('bookingRule')
    .values({ municipalityCode: code, ...values })
    .onConflict((c) =>
      c.columns(['municipalityCode', 'kind']).doUpdateSet({ ...values, updatedAt: sql`now()` }),
    )
    .execute();
}
