import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { NoticeTable } from '../../db/schema.ts';
import type { MonthlyTotal } from './delivery.ts';

/*
 * Every figure here is counted by Postgres, set-based, along an index; nothing is loaded into
 * JavaScript to be counted. With 1 M residents, 10 M recipient rows and sparse read rows:
 * - read rows are counted per notice on notice_read_notice_idx (notice_id, first_opened_at),
 *   an index-only range scan per notice;
 * - a targeted notice's audience is its recipient rows (notice_recipient_notice_idx), or the
 *   audience_size written with them in the same transaction;
 * - a broadcast's audience is the residents counted now: all of them at most once per request
 *   (an uncorrelated subquery runs once, and only if a broadcast to everyone needs it), those
 *   of a municipality on resident_municipality_idx.
 */

type NoticeDeliveryFigures = Pick<
  Selectable<NoticeTable>,
  'id' | 'kind' | 'audience' | 'publishAt' | 'expiresAt' | 'withdrawnAt'
> & { delivered: number; opened: number };

/** One notice's audience size and opened count; undefined when there is no such notice. */
export async function findNoticeDeliveryFigures(
  db: Db,
  noticeId: string,
): Promise<NoticeDeliveryFigures | undefined> {
  // CASE evaluates only the branch the notice needs: one count, never all three.
  const result = await sql<NoticeDeliveryFigures>`
    select n.id, n.kind, n.audience,
           n.publish_at as "publishAt", n.expires_at as "expiresAt", n.withdrawn_at as "withdrawnAt",
           (case n.audience
              when 'list' then (select count(*) from notice_recipient r where r.notice_id = n.id)
              when 'municipality' then
                (select count(*) from resident p where p.municipality_code = n.municipality_code)
              else (select count(*) from resident)
            end)::float8 as delivered,
           (select count(*) from notice_read rd where rd.notice_id = n.id)::float8 as opened
    from notice n
    where n.id = ${noticeId}::uuid`.execute(db);
  return result.rows[0];
}

/**
 * Opens of one notice per bucket of `step` Japan days from `firstDay`: bucket index → opens.
 * Only buckets with opens come back; reads outside [0, count) fall into the first or last.
 */
export async function findOpensByBucket(
  db: Db,
  q: { noticeId: string; firstDay: string; step: number; count: number },
): Promise<Map<number, number>> {
  const result = await sql<{ bucket: number; opens: number }>`
    select least(greatest(
             ((rd.first_opened_at at time zone 'Asia/Tokyo')::date - ${q.firstDay}::date) / ${q.step}::int,
             0), ${q.count - 1}::int) as bucket,
           count(*)::float8 as opens
    from notice_read rd
    where rd.notice_id = ${q.noticeId}::uuid
    group by 1`.execute(db);
  return new Map(result.rows.map((r) => [r.bucket, r.opens]));
}

/** A month's totals before the open rate is worked out. */
type MonthlyTotalRow = Omit<MonthlyTotal, 'openRate'>;

/**
 * Notices delivered in [from, to) by Japan month and category: how many, their audiences
 * summed, and their read rows. "Delivered" means published by `now` and not withdrawn before
 * its publication time (a withdrawn notice was still delivered until its withdrawal).
 *
 * Approximation: a broadcast's audience is the number of residents at query time, not at its
 * publication (a broadcast is one row and keeps no recipient list), so past months' broadcast
 * deliveries move as residents move in and out.
 */
export async function findMonthlyTotals(
  db: Db,
  q: { from: Date; to: Date; now: Date },
): Promise<MonthlyTotalRow[]> {
  const result = await sql<MonthlyTotalRow>`
    with n as (
      select n.id, n.kind, n.audience, n.municipality_code, n.audience_size,
             to_char(n.publish_at at time zone 'Asia/Tokyo', 'YYYY-MM') as month
      from notice n
      where n.publish_at >= ${q.from} and n.publish_at < ${q.to} and n.publish_at <= ${q.now}
        and (n.withdrawn_at is null or n.withdrawn_at > n.publish_at)
    ),
    municipality as (
      select p.municipality_code, count(*) as residents
      from resident p
      where p.municipality_code in (select n.municipality_code from n where n.audience = 'municipality')
      group by p.municipality_code
    )
    select n.month, n.kind as category, count(*)::int as notices,
           coalesce(sum(case n.audience
             when 'list' then coalesce(n.audience_size,
               (select count(*) from notice_recipient r where r.notice_id = n.id))
             when 'municipality' then coalesce(m.residents, 0)
             else (select count(*) from resident)
           end), 0)::float8 as deliveries,
           coalesce(sum(o.opened), 0)::float8 as opens
    from n
    left join municipality m on m.municipality_code = n.municipality_code
    cross join lateral (
      select count(*) as opened from notice_read rd where rd.notice_id = n.id
    ) o
    group by n.month, n.kind
    order by n.month, n.kind`.execute(db);
  return result.rows;
}
