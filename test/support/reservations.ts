/**
 * Facilities and slots for tests, written straight to their tables (the staff pages that make
 * them have tests of their own). Slots start in the future unless told otherwise.
 */
import type { Db } from '../../db/connection.ts';
import type { AppointmentKind } from '../../app/reservations/booking-rules.ts';
import { weekStartOf } from '../../app/reservations/booking-rules.ts';
import { tokyoAt, tokyoDate } from '../../app/i18n/dates.ts';

export async function insertFacility(
  db: Db,
  city: string,
  options: { kinds?: AppointmentKind[]; name?: string } = {},
): Promise<string> {
  const row = await db
    .insertInto('facility')
    .values({
      municipalityCode: city,
      nameJa: options.name ?? '三浦市役所 市民課',
      nameEn: options.name ?? 'Miura City Hall, Citizens Division',
      addressJa: '神奈川県三浦市城山町1-1',
      addressEn: '1-1 Shiroyama-cho, Miura, Kanagawa',
      phone: '046-882-1111',
      kinds: options.kinds ?? ['card_pickup', 'cert_renewal'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A slot of an hour from `startsAt`, its week published unless `published: false`. */
export async function insertSlot(
  db: Db,
  city: string,
  facilityId: string,
  options: { startsAt: Date; capacity: number; taken?: number; published?: boolean },
): Promise<string> {
  const row = await db
    .insertInto('bookingSlot')
    .values({
      municipalityCode: city,
      facilityId,
      startsAt: options.startsAt,
      endsAt: new Date(options.startsAt.getTime() + 3600_000),
      capacity: options.capacity,
      taken: options.taken ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.published !== false)
    await db
      .insertInto('bookingWeek')
      .values({
        municipalityCode: city,
        facilityId,
        weekStart: weekStartOf(tokyoDate(options.startsAt)),
      })
      .onConflict((c) => c.doNothing())
      .execute();
  return row.id;
}

/** A working-day morning (10:00 Tokyo) at least `days` days from now. */
export function futureWorkingMorning(days: number, now = new Date()): Date {
  for (let d = days; ; d++) {
    const day = tokyoDate(new Date(now.getTime() + d * 86_400_000));
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return tokyoAt(day, '10:00');
  }
}

export async function slotPlaces(db: Db, city: string, slotId: string) {
  return db
    .selectFrom('bookingSlot')
    .select(['capacity', 'taken'])
    .where('municipalityCode', '=', city)
    .where('id', '=', slotId)
    .executeTakeFirstOrThrow();
}

/** Places the active bookings of a slot hold, counted from the bookings themselves. */
export async function bookedPlaces(db: Db, city: string, slotId: string): Promise<number> {
  const row = await db
    .selectFrom('booking')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('places'), eb.lit(0)).as('places'))
    .where('municipalityCode', '=', city)
    .where('slotId', '=', slotId)
    .where('status', '=', 'booked')
    .executeTakeFirstOrThrow();
  return Number(row.places);
}

export async function activeMembersOf(db: Db, city: string, bookingId: string) {
  const rows = await db
    .selectFrom('bookingMember')
    .select('targetId')
    .where('municipalityCode', '=', city)
    .where('bookingId', '=', bookingId)
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.targetId).sort();
}

/** The outbox rows about one booking (oldest first): their ids, kinds and addressees. */
export function bookingMailRows(db: Db, bookingId: string) {
  return db
    .selectFrom('mailMessage')
    .select(['id', 'kind', 'toAddress', 'locale'])
    .where('dedupeKey', 'like', `booking:${bookingId}:%`)
    .orderBy('createdAt')
    .execute();
}
