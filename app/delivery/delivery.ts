/**
 * Delivery figures (配信状況): the domain's types and its counting rules, shared by the
 * service, the pages and the CSV export. Browser-safe: no server imports.
 * Months and the period form: period.ts; formatting for pages: delivery-view.ts; CSV:
 * delivery-csv.ts.
 */
import type { NoticeAudience, NoticeKind } from '../../db/schema.ts';
import { addDays, daysBetween } from '../i18n/dates.ts';

/** The two rows of seed 003's table 12: operator broadcasts and targeted notices. */
export const DELIVERY_CATEGORIES = ['broadcast', 'targeted'] as const satisfies NoticeKind[];
export type DeliveryCategory = (typeof DELIVERY_CATEGORIES)[number];

/** Opens over time: one bucket per Japan day, or per 7 days after DAILY_LIMIT days. */
const DAILY_LIMIT = 60;

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
  audience: NoticeAudience;
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
