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
