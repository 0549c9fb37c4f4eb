/**
 * The booking site's calendar rules as pure functions (safe for the browser): booking kinds and
 * limits, weeks, and how a slot's free places are said. Which days the counters work and when
 * booking closes need the national holidays: working-days.server.ts.
 * Days are Asia/Tokyo calendar dates written YYYY-MM-DD; Japan has no daylight saving time.
 */
import { addDays, tokyoDate } from '../i18n/dates.ts';

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
