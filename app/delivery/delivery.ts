/**
 * Delivery figures (配信状況): domain types and pure helpers shared by the service, the pages
 * and the CSV export. Browser-safe: no server imports.
 */
import type { TFunction } from 'i18next';
import { csvText } from '../csv/csv-write.ts';
import { formatDate, rangeText } from '../i18n/dates.ts';
import { intlLocale, type Locale } from '../i18n/locales.ts';

/** The two rows of seed 003's table 12: operator broadcasts and targeted notices. */
export const DELIVERY_CATEGORIES = ['broadcast', 'targeted'] as const;
export type DeliveryCategory = (typeof DELIVERY_CATEGORIES)[number];

/** Opens over time: one bucket per Japan day, or per 7 days after DAILY_LIMIT days. */
export const DAILY_LIMIT = 60;

/** The longest period the monthly page shows at once. */
export const MAX_PERIOD_MONTHS = 120;
/** The default period: this month and the 11 before it. */
export const DEFAULT_PERIOD_MONTHS = 12;

export type OpensBucket = {
  /** First and last Japan day of the bucket, YYYY-MM-DD (equal for a daily bucket). */
  start: string;
  end: string;
  opens: number;
  cumulative: number;
};

export type NoticeDelivery = {
  noticeId: string;
  kind: DeliveryCategory;
  audience: 'all' | 'municipality' | 'list';
  /** False while scheduled (or withdrawn before its publication): nothing was delivered. */
  published: boolean;
  /** Recipient rows (targeted) or residents now (broadcast: an approximation, see the service). */
  delivered: number;
  /** Residents who opened it (one read row each, however often they opened it). */
  opened: number;
  /** opened / delivered, or null when nothing was delivered. */
  openRate: number | null;
  step: 'day' | 'week';
  buckets: OpensBucket[];
};

export type MonthlyTotal = {
  /** YYYY-MM in Japan time. */
  month: string;
  category: DeliveryCategory;
  notices: number;
  deliveries: number;
  opens: number;
  openRate: number | null;
};

export const openRate = (opened: number, delivered: number): number | null =>
  delivered > 0 ? opened / delivered : null;

// ---- Japan calendar days and months as strings (no time zone can touch them) ----------

const JAPAN_OFFSET_MS = 9 * 3_600_000; // Japan has no daylight saving time.
const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayFromNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The Japan calendar day of an instant, YYYY-MM-DD. */
export const japanDay = (instant: Date): string =>
  new Date(instant.getTime() + JAPAN_OFFSET_MS).toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string => dayFromNumber(dayNumber(day) + days);

export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** The Japan month of an instant, YYYY-MM. */
export const japanMonth = (instant: Date): string => japanDay(instant).slice(0, 7);

export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: string, to: string): number {
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
export const monthStart = (month: string): Date =>
  new Date(Date.parse(`${month}-01T00:00:00Z`) - JAPAN_OFFSET_MS);

/**
 * How opens are counted over time: daily while the notice has been live at most DAILY_LIMIT
 * days, else in 7-day buckets from the publication day (a long-lived notice stays readable).
 */
export function bucketPlan(firstDay: string, lastDay: string): { step: 1 | 7; count: number } {
  const days = Math.max(1, daysBetween(firstDay, lastDay) + 1);
  return days <= DAILY_LIMIT ? { step: 1, count: days } : { step: 7, count: Math.ceil(days / 7) };
}

/** Buckets with zeros filled in and the running total; `counts` maps bucket index → opens. */
export function buildBuckets(
  firstDay: string,
  lastDay: string,
  counts: ReadonlyMap<number, number>,
): { step: 'day' | 'week'; buckets: OpensBucket[] } {
  const plan = bucketPlan(firstDay, lastDay);
  let cumulative = 0;
  const buckets = Array.from({ length: plan.count }, (_, i) => {
    const start = addDays(firstDay, i * plan.step);
    const end = addDays(start, plan.step - 1) < lastDay ? addDays(start, plan.step - 1) : lastDay;
    const opens = counts.get(i) ?? 0;
    cumulative += opens;
    return { start, end: end < start ? start : end, opens, cumulative };
  });
  return { step: plan.step === 1 ? 'day' : 'week', buckets };
}

// ---- The period form of the monthly page -------------------------------------------------

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

export const defaultPeriod = (now: Date): Period => {
  const to = japanMonth(now);
  return { from: addMonths(to, -(DEFAULT_PERIOD_MONTHS - 1)), to };
};

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

// ---- Formatting, done on the server so the page and its hydration agree ------------------

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const percentFormats = new Map<Locale, Intl.NumberFormat>();

export function formatCount(n: number, locale: Locale): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(intlLocale[locale])));
  return f.format(n);
}

/** 0.6667 → "66.7%"; null (nothing delivered) → null, which pages show as "—". */
export function formatRate(rate: number | null, locale: Locale): string | null {
  if (rate === null) return null;
  let f = percentFormats.get(locale);
  if (!f)
    percentFormats.set(
      locale,
      (f = new Intl.NumberFormat(intlLocale[locale], {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      })),
    );
  return f.format(rate);
}

/** A Japan calendar day as the instant it starts there, for the Tokyo date formatters. */
const dayInstant = (day: string) => new Date(`${day}T00:00:00+09:00`);

const shortDayFormats = new Map<Locale, Intl.DateTimeFormat>();
/** "2月1日" / "1 Feb": tick labels under the chart. */
export function formatShortDay(day: string, locale: Locale): string {
  let f = shortDayFormats.get(locale);
  if (!f)
    shortDayFormats.set(
      locale,
      (f = new Intl.DateTimeFormat(intlLocale[locale], {
        timeZone: 'Asia/Tokyo',
        month: 'short',
        day: 'numeric',
      })),
    );
  return f.format(dayInstant(day));
}

export const formatDay = (day: string, locale: Locale): string =>
  formatDate(dayInstant(day), locale);

const monthFormats = new Map<Locale, Intl.DateTimeFormat>();
/** "2026年2月" / "February 2026". */
export function formatMonth(month: string, locale: Locale): string {
  let f = monthFormats.get(locale);
  if (!f)
    monthFormats.set(
      locale,
      (f = new Intl.DateTimeFormat(intlLocale[locale], {
        timeZone: 'Asia/Tokyo',
        year: 'numeric',
        month: 'long',
      })),
    );
  return f.format(dayInstant(`${month}-01`));
}

/** One bucket of the opens chart and table, formatted for a page. */
export type OpensRow = {
  start: string;
  end: string;
  /** Under the bar: "2月1日". */
  tick: string;
  /** In the table: "2026年2月1日" or "2026年2月1日〜2026年2月7日". */
  label: string;
  opens: number;
  opensText: string;
  cumulativeText: string;
};

export function opensRows(buckets: readonly OpensBucket[], locale: Locale): OpensRow[] {
  return buckets.map((b) => ({
    start: b.start,
    end: b.end,
    tick: formatShortDay(b.start, locale),
    label:
      b.start === b.end
        ? formatDay(b.start, locale)
        : rangeText(formatDay(b.start, locale), formatDay(b.end, locale), locale),
    opens: b.opens,
    opensText: formatCount(b.opens, locale),
    cumulativeText: formatCount(b.cumulative, locale),
  }));
}

// ---- CSV -------------------------------------------------------------------------------

const CSV_COLUMNS = ['month', 'category', 'notices', 'deliveries', 'opens', 'openRate'] as const;

/**
 * The monthly totals as CSV for Excel: UTF-8 with a BOM, CRLF line ends, a header in the
 * reader's language. Figures are plain numbers (no grouping); the open rate is a percentage
 * with one decimal place, empty when nothing was delivered.
 */
export function deliveryCsv(rows: readonly MonthlyTotal[], t: TFunction): string {
  const lines = [
    CSV_COLUMNS.map((c) => t(`delivery:csv.${c}`)),
    ...rows.map((r) => [
      r.month,
      t(`delivery:category.${r.category}`),
      String(r.notices),
      String(r.deliveries),
      String(r.opens),
      r.openRate === null ? '' : (Math.round(r.openRate * 1000) / 10).toFixed(1),
    ]),
  ];
  return csvText(lines);
}

// ---- Page views ------------------------------------------------------------------------

export type NoticeDeliveryView = {
  published: boolean;
  kind: DeliveryCategory;
  delivered: string;
  opened: string;
  /** "66.7%", or null when nothing was delivered (shown as "—"). */
  openRate: string | null;
  step: 'day' | 'week';
  rows: OpensRow[];
};

export function noticeDeliveryView(d: NoticeDelivery, locale: Locale): NoticeDeliveryView {
  return {
    published: d.published,
    kind: d.kind,
    delivered: formatCount(d.delivered, locale),
    opened: formatCount(d.opened, locale),
    openRate: formatRate(d.openRate, locale),
    step: d.step,
    rows: opensRows(d.buckets, locale),
  };
}

export type MonthlyRowView = {
  month: string;
  monthText: string;
  notices: string;
  deliveries: string;
  opens: string;
  openRate: string | null;
};

export type MonthlyView = {
  category: DeliveryCategory;
  rows: MonthlyRowView[];
  total: Omit<MonthlyRowView, 'month' | 'monthText'>;
};

/** The monthly totals as one table per category, each with the period's total. */
export function monthlyView(totals: readonly MonthlyTotal[], locale: Locale): MonthlyView[] {
  const row = (r: Omit<MonthlyTotal, 'month' | 'category'>) => ({
    notices: formatCount(r.notices, locale),
    deliveries: formatCount(r.deliveries, locale),
    opens: formatCount(r.opens, locale),
    openRate: formatRate(r.openRate, locale),
  });
  return DELIVERY_CATEGORIES.map((category) => {
    const mine = totals.filter((r) => r.category === category);
    const sum = (key: 'notices' | 'deliveries' | 'opens') =>
      mine.reduce((acc, r) => acc + r[key], 0);
    const total = { notices: sum('notices'), deliveries: sum('deliveries'), opens: sum('opens') };
    return {
      category,
      rows: mine.map((r) => ({
        month: r.month,
        monthText: formatMonth(r.month, locale),
        ...row(r),
      })),
      total: row({ ...total, openRate: openRate(total.opens, total.deliveries) }),
    };
  });
}
