import type { Db } from '../../db/connection.ts';
import {
  findMonthlyTotals,
  findNoticeDeliveryFigures,
  findOpensByBucket,
} from './delivery.repository.server.ts';
import {
  bucketPlan,
  buildBuckets,
  DELIVERY_CATEGORIES,
  openRate,
  type MonthlyTotal,
  type NoticeDelivery,
} from './delivery.ts';
import { addMonths, monthRange, monthStart, type Period } from './period.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { isUuid } from '../platform/ids.ts';

/**
 * One notice's delivery: its audience, how many opened it, and opens per Japan day since
 * publication (per week once it has been live more than DAILY_LIMIT days). A broadcast's
 * audience is the residents counted now (see findMonthlyTotals). Null: no such notice.
 */
export async function getNoticeDelivery(
  db: Db,
  noticeId: string,
  now = new Date(),
): Promise<NoticeDelivery | null> {
  if (!isUuid(noticeId)) return null;
  const figures = await findNoticeDeliveryFigures(db, noticeId);
  if (!figures) return null;
  const published =
    figures.publishAt <= now &&
    !(figures.withdrawnAt !== null && figures.withdrawnAt <= figures.publishAt);

  // Opens can happen from publication until now, expiry or withdrawal, whichever comes first.
  const ends = [now, figures.expiresAt, figures.withdrawnAt].filter((d): d is Date => d !== null);
  const firstDay = tokyoDate(figures.publishAt);
  const endDay = tokyoDate(new Date(Math.min(...ends.map((d) => d.getTime()))));
  const lastDay = endDay < firstDay ? firstDay : endDay;
  const plan = bucketPlan(firstDay, lastDay);
  const counts = published
    ? await findOpensByBucket(db, { noticeId: figures.id, firstDay, ...plan })
    : new Map<number, number>();
  const { step, buckets } = buildBuckets(firstDay, lastDay, counts);

  return {
    noticeId: figures.id,
    kind: figures.kind,
    audience: figures.audience,
    published,
    delivered: published ? figures.delivered : 0,
    opened: figures.opened,
    openRate: published ? openRate(figures.opened, figures.delivered) : null,
    step,
    buckets: published ? buckets : [],
  };
}

/**
 * Totals per Japan month and category for the months of `period` (like seed 003's table 12):
 * every month and category appears, with zeros where nothing was delivered.
 */
export async function monthlyDeliveryTotals(
  db: Db,
  period: Period,
  now = new Date(),
): Promise<MonthlyTotal[]> {
  const rows = await findMonthlyTotals(db, {
    from: monthStart(period.from),
    to: monthStart(addMonths(period.to, 1)),
    now,
  });
  const found = new Map(rows.map((r) => [`${r.month}|${r.category}`, r]));
  return DELIVERY_CATEGORIES.flatMap((category) =>
    monthRange(period.from, period.to).map((month) => {
      const row = found.get(`${month}|${category}`);
      const deliveries = row?.deliveries ?? 0;
      const opens = row?.opens ?? 0;
      return {
        month,
        category,
        notices: row?.notices ?? 0,
        deliveries,
        opens,
        openRate: openRate(opens, deliveries),
      };
    }),
  );
}
