/**
 * Which days the counters work: not on weekends, national holidays or the city's closed days;
 * and what follows from it, when booking for a slot closes and the slots a week yields. Server
 * only: the national holidays table (@holiday-jp/holiday_jp, 175 KB) stays out of the browser
 * (decision 0070); pages get the days they show from their loaders.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { addDays, tokyoAt, tokyoDate } from '../i18n/dates.ts';
import { isoWeekday, type BookingRules } from './booking-rules.ts';
import { minutesOf, timeOf, type PlannedSlot, type Span } from './facility.ts';

/**
 * The package's own isHoliday lists every holiday's key on each call (Object.keys(…).includes):
 * a set made once answers the booking transaction's look-ups in constant time.
 */
const NATIONAL_HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

/** The national holidays from `from` to `to` (YYYY-MM-DD, both included), with their names. */
export const nationalHolidaysBetween = (from: string, to: string) =>
  holidayJp
    .between(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`))
    .map((h) => ({ day: tokyoDate(h.date), nameJa: h.name, nameEn: h.name_en }));

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

/**
 * The slots of the week starting on Monday `weekStart`: every whole slot that fits in each
 * opening span, skipping national holidays and the city's closed days.
 */
export function plannedSlots(
  weekStart: string,
  hours: readonly (Span & { weekday: number })[],
  slotMinutes: number,
  cityClosed: ReadonlySet<string>,
): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  for (let i = 0; i < 7; i++) {
    const day = addDays(weekStart, i);
    if (isNationalHoliday(day) || cityClosed.has(day)) continue;
    for (const span of hours.filter((h) => h.weekday === i + 1)) {
      const end = minutesOf(span.closes);
      for (let start = minutesOf(span.opens); start + slotMinutes <= end; start += slotMinutes)
        slots.push({
          day,
          startsAt: tokyoAt(day, timeOf(start)),
          endsAt: tokyoAt(day, timeOf(start + slotMinutes)),
        });
    }
  }
  return slots;
}
