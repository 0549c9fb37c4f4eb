/**
 * Delivery figures as pages show them, formatted on the server so the page and its hydration
 * agree. Browser-safe.
 */
import { formatDate, rangeText, TIME_ZONE, tokyoDayStart } from '../i18n/dates.ts';
import { intlLocale, type Locale } from '../i18n/locales.ts';
import {
  DELIVERY_CATEGORIES,
  openRate,
  type DeliveryCategory,
  type MonthlyTotal,
  type NoticeDelivery,
  type OpensBucket,
} from './delivery.ts';

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const percentFormats = new Map<Locale, Intl.NumberFormat>();

function formatCount(n: number, locale: Locale): string {
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

/** Formats a Japan day (YYYY-MM-DD) with `options`; one Intl formatter per locale. */
function dayFormat(options: Intl.DateTimeFormatOptions) {
  const formats = new Map<Locale, Intl.DateTimeFormat>();
  return (day: string, locale: Locale): string => {
    let f = formats.get(locale);
    if (!f)
      formats.set(
        locale,
        (f = new Intl.DateTimeFormat(intlLocale[locale], { timeZone: TIME_ZONE, ...options })),
      );
    return f.format(tokyoDayStart(day));
  };
}

/** "2月1日" / "1 Feb": tick labels under the chart. */
const formatShortDay = dayFormat({ month: 'short', day: 'numeric' });

const formatDay = (day: string, locale: Locale): string => formatDate(tokyoDayStart(day), locale);

const formatMonthDay = dayFormat({ year: 'numeric', month: 'long' });
/** "2026年2月" / "February 2026". */
export const formatMonth = (month: string, locale: Locale): string =>
  formatMonthDay(`${month}-01`, locale);

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

type MonthlyRowView = {
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
