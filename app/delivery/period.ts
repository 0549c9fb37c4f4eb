/**
 * Japan months as 'YYYY-MM' strings (no time zone can touch them) and the period form of the
 * monthly page. Browser-safe.
 */
import { tokyoDate, tokyoDayStart } from '../i18n/dates.ts';

/** The longest period the monthly page shows at once. */
const MAX_PERIOD_MONTHS = 120;
/** The default period: this month and the 11 before it. */
const DEFAULT_PERIOD_MONTHS = 12;

/** The Japan month of an instant, YYYY-MM. */
export const japanMonth = (instant: Date): string => tokyoDate(instant).slice(0, 7);

export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: string, to: string): string[] {
  const count = monthsBetween(from, to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addMonths(from, i));
}

/** The instant a Japan month begins. */
export const monthStart = (month: string): Date => tokyoDayStart(`${month}-01`);

export type PeriodField = 'from' | 'to';
export type PeriodValues = Record<PeriodField, string>;
/** Field → i18n key in the delivery namespace. */
export type PeriodErrors = Partial<Record<PeriodField, string>>;
export type Period = { from: string; to: string };

/** "2026-01", "2026/1", full-width "２０２６－０１" → "2026-01"; null if not a month. */
export function parseMonth(value: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})$/.exec(
    value
      .normalize('NFKC')
      .trim()
      .replace(/[－ー]/g, '-'),
  );
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12) return null;
  return `${y}-${String(mo).padStart(2, '0')}`;
}

/**
 * The period asked for in the query string. An empty field takes its default (the last 12
 * months end with this month); a period longer than MAX_PERIOD_MONTHS is refused.
 */
export function readPeriod(
  params: URLSearchParams,
  now: Date,
):
  | { ok: true; values: PeriodValues; period: Period }
  | { ok: false; values: PeriodValues; errors: PeriodErrors } {
  const raw = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const errors: PeriodErrors = {};
  const parsed = { from: parseMonth(raw.from), to: parseMonth(raw.to) };
  for (const field of ['from', 'to'] as const)
    if (raw[field].trim() !== '' && !parsed[field]) errors[field] = 'errors.month';
  if (errors.from || errors.to) return { ok: false, values: raw, errors };

  const to = parsed.to ?? (parsed.from ? laterOf(parsed.from, japanMonth(now)) : japanMonth(now));
  const from = parsed.from ?? addMonths(to, -(DEFAULT_PERIOD_MONTHS - 1));
  if (to < from) return { ok: false, values: raw, errors: { to: 'errors.range' } };
  if (monthsBetween(from, to) + 1 > MAX_PERIOD_MONTHS)
    return { ok: false, values: raw, errors: { from: 'errors.tooLong' } };
  return { ok: true, values: { from, to }, period: { from, to } };
}

const laterOf = (a: string, b: string) => (a > b ? a : b);
