/**
 * The resident booking flow (decision 0052): what each step offers the signed-in resident, the
 * household members they add (carried between steps in a signed value, never trusted from
 * the page), and the booking they hold. Booking, changing and cancelling themselves are
 * app/reservations/booking.service.server.ts.
 */
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { signToken, verifyToken } from '../identity/crypto.server.ts';
import {
  addDays,
  formatDateBoth,
  formatDateTime,
  tokyoDate,
  tokyoDayStart,
} from '../i18n/dates.ts';
import {
  availabilityOf,
  bookingDeadline,
  lastBookableDay,
  weekStartOf,
  type AppointmentKind,
  type Availability,
} from './booking-rules.ts';
import {
  activeMemberships,
  cityClosedDays,
  findBookingByKey,
  findSlotForBooking,
} from './booking.repository.server.ts';
import { bookingRules } from './booking.service.server.ts';
import {
  activeBookingOf,
  facilitiesTaking,
  publishedSlots,
  reservationIdsOf,
  targetsByIds,
} from './booking-flow.repository.server.ts';
import { shiftMonth, stepHref } from './booking-flow.ts';
import type { Locale } from '../i18n/locales.ts';
import type { BookingSession } from './booking-session.server.ts';
import { formatReservationId } from './booking.ts';
import { timeRange } from './booking-flow-ui.tsx';

export const facilitiesFor = (db: Db, code: string, kind: AppointmentKind, now = new Date()) =>
  facilitiesTaking(db, code, kind, weekStartOf(tokyoDate(now)));

export type SlotChoice = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  left: number;
  availability: Availability;
  /** Open, published, before its deadline and within the horizon, with places for the group. */
  choosable: boolean;
  /** Open, published, before its deadline and within the horizon (a full one has a waitlist). */
  open: boolean;
};

/** The published slots of a facility from `fromDay` for `days` days, each with its state. */
async function slotChoices(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  fromDay: string,
  days: number,
  now: Date,
  places = 1,
): Promise<SlotChoice[]> {
  const rules = await bookingRules(db, code, kind);
  const toDay = addDays(fromDay, days);
  const closed = await cityClosedDays(db, code, tokyoDate(now), toDay);
  const lastDay = lastBookableDay(rules, now);
  const rows = await publishedSlots(
    db,
    code,
    facilityId,
    tokyoDayStart(fromDay),
    tokyoDayStart(toDay),
  );
  return rows.map((s) => {
    const day = tokyoDate(s.startsAt);
    const open =
      !s.closedAt &&
      s.startsAt > now &&
      now <= bookingDeadline(day, rules, closed) &&
      day <= lastDay;
    const availability = open
      ? availabilityOf({ capacity: s.capacity, taken: s.taken })
      : ('full' as const);
    const left = open ? Math.max(0, s.capacity - s.taken) : 0;
    return {
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      left,
      availability,
      choosable: left >= places,
      open,
    };
  });
}

/** Each day of a month with something bookable, and how much. */
export async function monthAvailability(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  month: string,
  now = new Date(),
): Promise<Map<string, Availability>> {
  const first = `${month}-01`;
  const days = Number(addDays(`${shiftMonth(month, 1)}-01`, -1).slice(8));
  const slots = await slotChoices(db, code, kind, facilityId, first, days, now);
  const byDay = new Map<string, SlotChoice[]>();
  for (const s of slots) {
    const day = tokyoDate(s.startsAt);
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const result = new Map<string, Availability>();
  for (const [day, list] of byDay) {
    const levels = list.map((s) => s.availability);
    result.set(
      day,
      levels.includes('available') ? 'available' : levels.includes('few') ? 'few' : 'full',
    );
  }
  return result;
}

export const daySlots = (
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  day: string,
  places: number,
  now = new Date(),
) => slotChoices(db, code, kind, facilityId, day, 1, now, places);

/** The next free slots after a slot that filled, at the same facility (at most `count`). */
export async function nearestFreeSlots(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  after: Date,
  places: number,
  count = 3,
  now = new Date(),
): Promise<SlotChoice[]> {
  const rules = await bookingRules(db, code, kind);
  const slots = await slotChoices(
    db,
    code,
    kind,
    facilityId,
    tokyoDate(after),
    rules.horizonDays + 1,
    now,
    places,
  );
  return slots.filter((s) => s.choosable && s.startsAt >= after).slice(0, count);
}

const MEMBERS_KEY = 'booking-flow-members';
const MEMBERS_HOURS = 4;

/** The household members verified so far, signed for this booking session only. */
export type VerifiedMember = { targetId: string; verifiedBy: 'password' | 'birth_date' };

export function signMembers(
  secrets: Secrets,
  sessionId: string,
  members: readonly VerifiedMember[],
) {
  return signToken(
    secrets.key(MEMBERS_KEY),
    { s: sessionId, m: members.map((m) => [m.targetId, m.verifiedBy]) },
    new Date(Date.now() + MEMBERS_HOURS * 3600_000),
  );
}

/** The verified members a signed value holds; nothing for a forged, stale or foreign one. */
export function readVerifiedMembers(
  secrets: Secrets,
  sessionId: string,
  token: string | undefined,
): VerifiedMember[] {
  if (!token) return [];
  const payload = verifyToken<{ s?: unknown; m?: unknown }>(secrets.key(MEMBERS_KEY), token);
  if (!payload || payload.s !== sessionId || !Array.isArray(payload.m)) return [];
  return payload.m
    .flatMap((m: unknown) =>
      Array.isArray(m) && typeof m[0] === 'string' && (m[1] === 'password' || m[1] === 'birth_date')
        ? [{ targetId: m[0], verifiedBy: m[1] as VerifiedMember['verifiedBy'] }]
        : [],
    )
    .slice(0, 20);
}

/** The verified members' target ids, in the order they were added. */
export const readMembers = (secrets: Secrets, sessionId: string, token: string | undefined) =>
  readVerifiedMembers(secrets, sessionId, token).map((m) => m.targetId);

/** The members' reservation IDs, in the order they were added. */
export async function memberReservationIds(db: Db, code: string, targetIds: readonly string[]) {
  const rows = await targetsByIds(db, code, targetIds);
  return targetIds.map((id) => rows.find((r) => r.id === id)?.reservationId ?? '');
}

export type HeldBooking = NonNullable<Awaited<ReturnType<typeof activeBookingOf>>> & {
  reservationIds: string[];
  deadline: Date;
  /** Change and cancel are open until the deadline. */
  open: boolean;
};

/** The booking a signed-in target holds, with its people and whether it may still change. */
export async function heldBooking(
  db: Db,
  code: string,
  targetId: string,
  now = new Date(),
): Promise<HeldBooking | null> {
  const booking = await activeBookingOf(db, code, targetId);
  if (!booking) return null;
  const rules = await bookingRules(db, code, booking.kind);
  const day = tokyoDate(booking.startsAt);
  const closed = await cityClosedDays(db, code, tokyoDate(now), day);
  const deadline = bookingDeadline(day, rules, closed);
  return {
    ...booking,
    reservationIds: await reservationIdsOf(db, code, booking.id),
    deadline,
    open: now <= deadline,
  };
}

/** One slot as the steps after the time step check it again (it may have filled since). */
export async function slotChoice(
  db: Db,
  code: string,
  kind: AppointmentKind,
  facilityId: string,
  slotId: string,
  places: number,
  now = new Date(),
): Promise<(SlotChoice & { day: string }) | null> {
  const slot = await findSlotForBooking(db, code, slotId);
  if (!slot || slot.facilityId !== facilityId) return null;
  const day = tokyoDate(slot.startsAt);
  const choice = (await daySlots(db, code, kind, facilityId, day, places, now)).find(
    (s) => s.id === slotId,
  );
  return choice ? { ...choice, day } : null;
}

/** The signed-in resident's booking as the page shows it (decision 0052), or null. */
export async function bookingView(
  db: Db,
  session: BookingSession,
  locale: Locale,
  query: URLSearchParams,
) {
  const held = await heldBooking(db, session.municipalityCode, session.targetId);
  const notice = query.has('booked')
    ? 'booked'
    : query.has('changed')
      ? 'changed'
      : query.has('cancelled')
        ? 'cancelled'
        : null;
  if (!held) return { held: null, notice, book: `/${locale}/reservations/book` };
  const en = locale === 'en';
  return {
    notice,
    book: null,
    held: {
      id: held.id,
      facility: en ? held.nameEn : held.nameJa,
      address: en ? held.addressEn : held.addressJa,
      phone: held.facilityPhone,
      date: formatDateBoth(held.startsAt, locale),
      time: timeRange(held.startsAt, held.endsAt, locale),
      people: held.reservationIds.map(formatReservationId),
      needs: held.needs,
      open: held.open,
      deadline: formatDateTime(held.deadline, locale),
      change: stepHref(locale, 'date', {
        change: held.id,
        kind: held.kind,
        facility: held.facilityId,
      }),
      cancel: `/${locale}/reservations/cancel`,
    },
  };
}

/** Whether this confirm form has booked already (a double submit shows that booking). */
export async function bookedWithKey(db: Db, code: string, idempotencyKey: string) {
  return Boolean(await findBookingByKey(db, code, idempotencyKey));
}

/** Whether a target holds an active booking (the people step refuses to add them). */
export async function hasActiveBooking(db: Db, code: string, targetId: string) {
  return (await activeMemberships(db, code, [targetId])).length > 0;
}
