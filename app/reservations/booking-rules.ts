/**
 * The booking site's calendar rules as pure functions (safe for the browser): which days the
 * counters work, when booking for a slot closes, and how a slot's free places are said.
 * Days are Asia/Tokyo calendar dates written YYYY-MM-DD; Japan has no daylight saving time.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { addDays, tokyoAt, tokyoDate } from '../i18n/dates.ts';

export const APPOINTMENT_KINDS = ['card_pickup', 'cert_renewal'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

export type BookingRules = {
  /** Booking closes this many working days before the appointment's day… */
  deadlineWorkingDays: number;
  /** …at this time (HH:MM, Asia/Tokyo). */
  deadlineTime: string;
  maxPeople: number;
  /** How far ahead one may book, in days from today. */
  horizonDays: number;
};

/** What a city gets until its staff set rules: the previous working day at 17:00. */
export const DEFAULT_RULES: BookingRules = {
  deadlineWorkingDays: 1,
  deadlineTime: '17:00',
  maxPeople: 4,
  horizonDays: 60,
};

/** ISO weekday of a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Monday of the week that holds `day`. */
export function weekStartOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/**
 * The package's own isHoliday lists every holiday's key on each call (Object.keys(…).includes):
 * a set made once answers the booking transaction's look-ups in constant time.
 */
const NATIONAL_HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

export const isNationalHoliday = (day: string): boolean => NATIONAL_HOLIDAYS.has(day);

/** A day the counters work: a weekday that is neither a national holiday nor a city closed day. */
export function isWorkingDay(day: string, cityClosed: ReadonlySet<string>): boolean {
  return isoWeekday(day) <= 5 && !isNationalHoliday(day) && !cityClosed.has(day);
}

/**
 * When booking (and changing or cancelling) a slot on `slotDay` closes: `deadlineWorkingDays`
 * working days before that day, at the deadline time. Zero means the day itself.
 */
export function bookingDeadline(
  slotDay: string,
  rules: Pick<BookingRules, 'deadlineWorkingDays' | 'deadlineTime'>,
  cityClosed: ReadonlySet<string>,
): Date {
  let day = slotDay;
  for (let left = rules.deadlineWorkingDays; left > 0;) {
    day = addDays(day, -1);
    if (isWorkingDay(day, cityClosed)) left -= 1;
  }
  return tokyoAt(day, rules.deadlineTime);
}

/** The last day one may book today, `horizonDays` ahead. */
export const lastBookableDay = (rules: Pick<BookingRules, 'horizonDays'>, now: Date): string =>
  addDays(tokyoDate(now), rules.horizonDays);

export type Availability = 'available' | 'few' | 'full';

/**
 * How a slot's free places are said (空きあり / 残りわずか / 満席): "few" when at most a fifth of
 * the places, or two, are left. A closed slot is full for residents.
 */
export function availabilityOf(slot: { capacity: number; taken: number; closed?: boolean }) {
  const left = slot.closed ? 0 : Math.max(0, slot.capacity - slot.taken);
  if (left === 0) return 'full' satisfies Availability;
  return left <= Math.max(2, Math.floor(slot.capacity / 5)) ? 'few' : 'available';
}

/** A day's availability from its slots: the best of them. */
export function dayAvailability(
  slots: readonly { capacity: number; taken: number; closed?: boolean }[],
): Availability {
  const levels = slots.map(availabilityOf);
  if (levels.includes('available')) return 'available';
  if (levels.includes('few')) return 'few';
  return 'full';
}
