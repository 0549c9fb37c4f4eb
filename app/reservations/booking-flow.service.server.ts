/**
 * The resident booking flow (decision 0052): what each step offers the signed-in resident, the
 * household members they add (carried between steps in a signed value, never trusted from
 * the page), and the booking they hold. Booking, changing and cancelling themselves are
 * app/reservations/booking.service.server.ts.
 */
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { signToken, verifyToken } from '../identity/crypto.server.ts';
import { addDays, formatDateBoth, formatDateTime, tokyoDate } from '../i18n/dates.ts';
import { weekStartOf, type AppointmentKind, type Availability } from './booking-rules.ts';
import { bookingDeadline } from './working-days.server.ts';
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
  reservationIdsOf,
  targetsByIds,
} from './booking-flow.repository.server.ts';
import { shiftMonth, stepHref } from './booking-flow.ts';
import { slotChoices, type SlotChoice } from './slot-choices.server.ts';
import type { Locale } from '../i18n/locales.ts';
import type { BookingSession } from './booking-session.server.ts';
import { formatReservationId } from './booking.ts';
import { timeRange } from './booking-flow-ui.tsx';

export const facilitiesFor = (db: Db, code: string, kind: AppointmentKind, now = new Date()) =>
  facilitiesTaking(db, code, kind, weekStartOf(tokyoDate(now)));

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

/** Whether a target holds an active booking of the kind (the people step refuses to add them). */
export async function hasActiveBooking(
  db: Db,
  code: string,
  targetId: string,
  kind: AppointmentKind = 'card_pickup',
) {
  return (await activeMemberships(db, code, [targetId], kind)).length > 0;
}
