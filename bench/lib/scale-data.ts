import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * For each resident: its newest live targeted notice (if any) and one of the ten newest live
 * broadcasts in its audience — the notices a detail benchmark opens.
 */
export async function visibleNotices(
  db: Kysely<Database>,
  residents: { id: string; municipalityCode: string }[],
  now: Date,
): Promise<{ residentId: string; noticeId: string }[]> {
  const result = await sql<{ residentId: string; noticeId: string }>`
    select r.id as resident_id, x.id as notice_id
    from unnest(${residents.map((t) => t.id)}::uuid[], ${residents.map((t) => t.municipalityCode)}::text[])
      with ordinality as r(id, municipality_code, i)
    cross join lateral (
      (select n.id from notice_recipient nr join notice n on n.id = nr.notice_id
        where nr.resident_id = r.id and nr.publish_at <= ${now} and n.withdrawn_at is null
          and (n.expires_at is null or n.expires_at > ${now})
        order by nr.publish_at desc limit 1)
      union all
      (select n.id from notice n
        where n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = r.municipality_code)
          and n.publish_at <= ${now} and n.withdrawn_at is null
          and (n.expires_at is null or n.expires_at > ${now})
        order by n.publish_at desc offset (r.i % 10) limit 1)
    ) x`.execute(db);
  return result.rows;
}
