import { intlLocale, type Locale } from './locales.ts';

/** Every date shown to a person is computed in Japan time, whatever the server's zone. */
export const TIME_ZONE = 'Asia/Tokyo';

export type CalendarStyle = 'gregorian' | 'japanese';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(
  locale: Locale,
  calendar: CalendarStyle,
  withTime: boolean,
): Intl.DateTimeFormat {
  const key = `${locale}|${calendar}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    const tag =
      calendar === 'japanese' ? `${intlLocale[locale]}-u-ca-japanese` : intlLocale[locale];
    f = new Intl.DateTimeFormat(tag, {
      timeZone: TIME_ZONE,
      ...(calendar === 'japanese' ? { era: 'long' } : {}),
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * English writes an era name before its year, as it is said ("Reiwa 8"); Intl's English
 * Japanese calendar puts the year first ("8 Reiwa"), which reads as the eighth Reiwa.
 */
function format(date: Date, locale: Locale, calendar: CalendarStyle, withTime: boolean) {
  const f = formatter(locale, calendar, withTime);
  if (locale === 'ja' || calendar === 'gregorian') return f.format(date);
  const parts = f.formatToParts(date);
  const year = parts.findIndex((p) => p.type === 'year');
  const era = parts.findIndex((p) => p.type === 'era');
  if (year === -1 || era !== year + 2) return f.format(date);
  return [
    ...parts.slice(0, year),
    parts[era]!,
    parts[year + 1]!,
    parts[year]!,
    ...parts.slice(era + 1),
  ]
    .map((p) => p.value)
    .join('');
}

/** 令和8年11月21日 / 2026年11月21日 / 21 November 2026 / 21 November Reiwa 8. */
export function formatDate(
  date: Date,
  locale: Locale,
  calendar: CalendarStyle = 'gregorian',
): string {
  return format(date, locale, calendar, false);
}

export function formatDateTime(
  date: Date,
  locale: Locale,
  calendar: CalendarStyle = 'gregorian',
): string {
  return format(date, locale, calendar, true);
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "14:05": a time of day in Japan. Formatters are made once per language: making one costs
 * far more than formatting (it was 2.5 % of a staff page's CPU when made per call).
 */
export function formatClock(date: Date | number, locale: Locale | 'en-GB'): string {
  let f = clockFormatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en-GB' ? 'en-GB' : intlLocale[locale], {
      timeZone: TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormatters.set(locale, f);
  }
  return f.format(date);
}

/** Both calendars, as residents expect on official pages: 令和8年11月21日（2026年11月21日）. */
export function formatDateBoth(date: Date, locale: Locale): string {
  const japanese = formatDate(date, locale, 'japanese');
  const gregorian = formatDate(date, locale, 'gregorian');
  return locale === 'ja' ? `${japanese}（${gregorian}）` : `${gregorian} (${japanese})`;
}

/**
 * A range of dates or numbers as speech reads it: 〜 in Japanese, "to" in English. Screen
 * readers often skip a dash ("1 May – 7 May" is heard as "1 May 7 May").
 */
export function rangeText(from: string, to: string, locale: Locale): string {
  return locale === 'ja' ? `${from}〜${to}` : `${from} to ${to}`;
}

/** The calendar date in Japan as YYYY-MM-DD. */
const isoDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
export function tokyoDate(date: Date): string {
  // Arithmetic (Japan keeps a fixed offset, below) is ~10× cheaper than Intl, and this runs on
  // every request (the request-day counter); Intl still answers after the year 9999.
  // (Japan kept summer time in 1948–1951: instants before 1952 go to Intl too.)
  if (!(date.getTime() >= FIXED_OFFSET_SINCE)) return isoDate.format(date);
  const shifted = new Date(date.getTime() + UTC_OFFSET_MS).toISOString();
  return shifted.length === 24 ? shifted.slice(0, 10) : isoDate.format(date);
}
const FIXED_OFFSET_SINCE = Date.parse('1952-01-01T00:00:00Z');

/** Machine-readable value for <time dateTime>. */
export function isoInstant(date: Date): string {
  return date.toISOString();
}

/*
 * Japan time as arithmetic. Japan has kept UTC+9 without daylight saving since 1951, so a
 * wall-clock time there is a fixed offset from UTC. This is the only file that writes that
 * offset down (test/tokyo-time.test.ts keeps it so): everything else asks these helpers.
 */
const UTC_OFFSET = '+09:00';
const UTC_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Milliseconds at 00:00 UTC of a day (not Date.UTC, which reads years 0–99 as 1900–1999). */
function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** 'YYYY-MM-DD' when year, month (1–12) and day name a real day (2028-02-29, not 2026-02-29); else null. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (![year, month, day].every(Number.isInteger) || year < 0 || year > 9999) return null;
  const date = new Date(utcMidnight(year, month, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a 'YYYY-MM-DD' text names a day that exists. */
export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && calendarDate(Number(m[1]), Number(m[2]), Number(m[3])) === value;
}

function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  return utcMidnight(Number(m[1]), Number(m[2]), Number(m[3])) / DAY_MS;
}

/** The calendar date `days` after a 'YYYY-MM-DD' date (before it when negative). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one 'YYYY-MM-DD' date to another (negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/**
 * The instant a calendar day in Japan begins, `days` days later: midnight in Tokyo, which
 * is 15:00 UTC the day before. Also how a date without a time (a birth date, a due date) is
 * handed to the formatters above.
 */
export function tokyoDayStart(day: string, days = 0): Date {
  return new Date((dayNumber(day) + days) * DAY_MS - UTC_OFFSET_MS);
}

/** The instant a calendar day in Japan ends: the next day's midnight (an exclusive bound). */
export function tokyoDayEnd(day: string): Date {
  return tokyoDayStart(day, 1);
}

/** 'YYYY-MM-DDTHH:mm' in Tokyo: the value a datetime-local input shows for `date`. */
export function toTokyoDateTimeLocal(date: Date): string {
  return new Date(date.getTime() + UTC_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value ('YYYY-MM-DDTHH:mm[:ss]') read as Tokyo time; null when no such moment. */
export function fromTokyoDateTimeLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as number[];
  if (!calendarDate(y!, mo!, d!) || h! > 23 || mi! > 59 || s! > 59) return null;
  return new Date(utcMidnight(y!, mo!, d!) + ((h! * 60 + mi!) * 60 + s!) * 1000 - UTC_OFFSET_MS);
}

/**
 * An instant typed by an operator: ISO 8601 with its offset (or Z) as given, otherwise a date
 * and time ('YYYY-MM-DD HH:mm[:ss]', T or a space) read as Tokyo time; null when no such moment.
 */
export function parseTokyoInstant(text: string): Date | null {
  const typed = text.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(typed)) return fromTokyoDateTimeLocal(typed);
  const instant = new Date(typed);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** The instant at 'HH:mm' in Tokyo on a 'YYYY-MM-DD' day (an appointment, a deadline). */
export function tokyoAt(day: string, time: string): Date {
  const instant = fromTokyoDateTimeLocal(`${day}T${time.slice(0, 5)}`);
  if (!instant) throw new Error(`not a Tokyo date and time: ${day} ${time}`);
  return instant;
}

/** The hour (0–23) a clock in Tokyo shows at an instant. */
export function tokyoHour(date: Date): number {
  return Number(toTokyoDateTimeLocal(date).slice(11, 13));
}

/** '2026-11-22T00:30:00.000+09:00': an instant in ISO 8601 as the clock in Japan reads it. */
export function tokyoIsoString(date: Date): string {
  return new Date(date.getTime() + UTC_OFFSET_MS).toISOString().replace('Z', UTC_OFFSET);
}
