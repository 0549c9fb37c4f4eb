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
  return isoDate.format(date);
}

/** Machine-readable value for <time dateTime>. */
export function isoInstant(date: Date): string {
  return date.toISOString();
}

/* Reading dates people type: the Japanese era (和暦) as well as the Western year. */

export type EraKey = 'reiwa' | 'heisei' | 'showa' | 'taisho' | 'meiji';

/** Each era's first day (Gregorian) and how people write it: 昭和, 昭, S. Newest first. */
export const ERAS: readonly {
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
  const day = new Date(`${next.first}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
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
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  )
    return { ok: false, reason: 'date' };
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (era) {
    const last = eraLastDay(era.key);
    if (iso < era.first || (last !== null && iso > last))
      return { ok: false, reason: 'era', era: era.key };
  }
  return { ok: true, date: iso };
}
