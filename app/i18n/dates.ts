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

/* Reading dates people type: the Japanese era (和暦) as well as the Western year. */

export type EraKey = 'reiwa' | 'heisei' | 'showa' | 'taisho' | 'meiji';

/** Each era's first day (Gregorian) and how people write it: 昭和, 昭, S. Newest first. */
const ERAS: readonly {
  key: EraKey;
  kanji: string;
  letter: string;
  first: string;
}[] = [
  { key: 'reiwa', kanji: '令和', letter: 'R', first: '2019-05-01' },
  { key: 'heisei', kanji: '平成', letter: 'H', first: '1989-01-08' },
  { key: 'showa', kanji: '昭和', letter: 'S', first: '1926-12-25' },
  { key: 'taisho', kanji: '大正', letter: 'T', first: '1912-07-30' },
  { key: 'meiji', kanji: '明治', letter: 'M', first: '1868-10-23' },
];

/** The last day of an era: the day before the next one began (null: the current era). */
export function eraLastDay(key: EraKey): string | null {
  const index = ERAS.findIndex((e) => e.key === key);
  const next = ERAS[index - 1];
  if (!next) return null;
  return addDays(next.first, -1);
}

export type TypedYear = { era: EraKey | null; year: number };

/**
 * A year as typed: "1948", "１９４８", "昭和23", "昭和23年", "昭23", "S23", "s.23", "平成元年".
 * Returns the era (null for a Western year) and the number, or null if it is neither.
 */
export function parseTypedYear(text: string): TypedYear | null {
  const value = text.normalize('NFKC').replace(/\s/g, '').replace(/年$/, '');
  if (/^[0-9]{1,4}$/.test(value)) return { era: null, year: Number(value) };
  const match = /^([^0-9元.]+)\.?([0-9]{1,2}|元)$/.exec(value);
  if (!match) return null;
  const [, name = '', number = ''] = match;
  const era = ERAS.find(
    (e) => e.kanji === name || e.kanji[0] === name || e.letter === name.toUpperCase(),
  );
  if (!era) return null;
  const year = number === '元' ? 1 : Number(number);
  return year >= 1 ? { era: era.key, year } : null;
}

export type TypedDate =
  { ok: true; date: string } | { ok: false; reason: 'year' | 'date' | 'era'; era?: EraKey };

/**
 * The Gregorian 'YYYY-MM-DD' of a typed year, month and day. 'year': the year is not a year
 * in either calendar; 'date': no such day; 'era': a real day, but not in that era
 * (昭和64年1月8日 was already 平成元年).
 */
export function parseTypedDate(year: string, month: string, day: string): TypedDate {
  const typed = parseTypedYear(year);
  if (!typed) return { ok: false, reason: 'year' };
  const m = /^[0-9]{1,2}$/.test(month.normalize('NFKC').trim())
    ? Number(month.normalize('NFKC'))
    : NaN;
  const d = /^[0-9]{1,2}$/.test(day.normalize('NFKC').trim()) ? Number(day.normalize('NFKC')) : NaN;
  const era = typed.era ? ERAS.find((e) => e.key === typed.era) : undefined;
  const y = era ? Number(era.first.slice(0, 4)) + typed.year - 1 : typed.year;
  const iso = calendarDate(y, m, d);
  if (!iso) return { ok: false, reason: 'date' };
  if (era) {
    const last = eraLastDay(era.key);
    if (iso < era.first || (last !== null && iso > last))
      return { ok: false, reason: 'era', era: era.key };
  }
  return { ok: true, date: iso };
}

/**
 * A whole date as a list or a clerk writes it, in either calendar: "R6.4.1", "令和6年4月1日",
 * "S55.12.3", "平成元年5月1日", "H1/5/1", "1980-12-03", "1980/12/3", "１９８０年１２月３日".
 * Full-width digits are read as digits; the reasons are parseTypedDate's.
 */
export function parseDateText(text: string): TypedDate {
  const value = text.normalize('NFKC').replace(/\s/g, '');
  const match = /^(.+?)[年./-]([0-9]{1,2})[月./-]([0-9]{1,2})日?$/.exec(value);
  if (!match) return { ok: false, reason: /[0-9元]/.test(value) ? 'date' : 'year' };
  const [, year = '', month = '', day = ''] = match;
  return parseTypedDate(year, month, day);
}
