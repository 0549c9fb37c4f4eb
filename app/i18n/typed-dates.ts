import { addDays, calendarDate } from './dates.ts';

/*
 * Reading dates people type: the Japanese era (和暦) as well as the Western year. Apart from
 * dates.ts because only forms read typed dates (staff searches and lists, a resident's date of
 * birth, mostly on the server), while every page formats them: each page's browser chunk of
 * dates.ts then holds only what pages format (decision 0070, addendum 2).
 */

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
