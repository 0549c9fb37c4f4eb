import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { InboxCursor } from './notice.ts';

export type InboxQuery = {
  residentId: string;
  municipalityCode: string;
  now: Date;
  unreadOnly: boolean;
  sender: string | null;
  search: string | null;
  cursor: InboxCursor | null;
  limit: number;
};

export type InboxRow = {
  id: string;
  kind: 'broadcast' | 'targeted';
  sender: string;
  titleJa: string | null;
  titleEn: string | null;
  publishAt: Date;
  firstOpenedAt: Date | null;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of a resident's inbox, newest first: the broadcasts in their audience and the
 * targeted notices addressed to them, merged. Each side is an index range scan that stops
 * after `limit + 1` rows past the cursor, so page 1,000 costs what page 1 costs.
 */
export async function findInboxPage(db: Db, q: InboxQuery): Promise<InboxRow[]> {
  const take = q.limit + 1;
  const before = q.cursor
    ? sql`(n.publish_at, n.id) < (${q.cursor.publishAt}, ${q.cursor.id}::uuid)`
    : sql`true`;
  const beforeR = q.cursor
    ? sql`(r.publish_at, r.notice_id) < (${q.cursor.publishAt}, ${q.cursor.id}::uuid)`
    : sql`true`;
  const live = sql`n.publish_at <= ${q.now} and (n.expires_at is null or n.expires_at > ${q.now}) and n.withdrawn_at is null`;
  const unread = q.unreadOnly
    ? sql`not exists (select 1 from notice_read rd where rd.resident_id = ${q.residentId}::uuid and rd.notice_id = n.id)`
    : sql`true`;
  const sender = q.sender ? sql`n.sender = ${q.sender}` : sql`true`;
  const search = q.search
    ? sql`(n.title_ja ilike ${'%' + escapeLike(q.search) + '%'} or n.title_en ilike ${'%' + escapeLike(q.search) + '%'})`
    : sql`true`;
  const result = await sql<InboxRow>`
    with page as (
      (select n.id, n.publish_at from notice n
        where n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = ${q.municipalityCode})
          and ${live} and ${before} and ${unread} and ${sender} and ${search}
        order by n.publish_at desc, n.id desc limit ${take})
      union all
      (select r.notice_id as id, r.publish_at from notice_recipient r join notice n on n.id = r.notice_id
        where r.resident_id = ${q.residentId}::uuid and r.publish_at <= ${q.now}
          and ${live} and ${beforeR} and ${unread} and ${sender} and ${search}
        order by r.publish_at desc, r.notice_id desc limit ${take})
    )
    select n.id, n.kind, n.sender, n.title_ja as "titleJa", n.title_en as "titleEn", n.publish_at as "publishAt",
           rd.first_opened_at as "firstOpenedAt"
    from page p
    join notice n on n.id = p.id
    left join notice_read rd on rd.resident_id = ${q.residentId}::uuid and rd.notice_id = p.id
    order by p.publish_at desc, p.id desc
    limit ${take}`.execute(db);
  return result.rows;
}

/** Unread notices in the resident's inbox now (broadcasts in audience + their targeted ones). */
/** Unread counts stop here: a page says "999+" rather than counting a huge inbox each time. */
export const UNREAD_COUNT_CAP = 1000;

/**
 * Unread notices in the resident's inbox now (broadcasts in audience + their targeted ones),
 * counted up to UNREAD_COUNT_CAP: each branch stops after that many rows, so a resident with
 * 25,000 notices costs what one with a thousand does. The cap is a literal in the SQL, not a
 * parameter: with a parameter, Postgres's generic plan for the prepared statement cannot see
 * the small limit and hash-joins the resident's whole read history (seconds under load).
 */
export async function countUnread(
  db: Db,
  residentId: string,
  municipalityCode: string,
  now: Date,
): Promise<number> {
  const result = await sql<{ n: number }>`
    select (
      (select count(*) from (select 1 from notice n
        where n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = ${municipalityCode})
          and n.publish_at <= ${now} and (n.expires_at is null or n.expires_at > ${now}) and n.withdrawn_at is null
          and not exists (select 1 from notice_read rd where rd.resident_id = ${residentId}::uuid and rd.notice_id = n.id)
        limit ${sql.lit(UNREAD_COUNT_CAP)}) b)
      +
      (select count(*) from (select 1 from notice_recipient r join notice n on n.id = r.notice_id
        where r.resident_id = ${residentId}::uuid and r.publish_at <= ${now}
          and (n.expires_at is null or n.expires_at > ${now}) and n.withdrawn_at is null
          and not exists (select 1 from notice_read rd where rd.resident_id = r.resident_id and rd.notice_id = n.id)
        limit ${sql.lit(UNREAD_COUNT_CAP)}) t)
    )::int as n`.execute(db);
  return Math.min(result.rows[0]?.n ?? 0, UNREAD_COUNT_CAP);
}

/**
 * A notice as one resident may see it: live now, and either a broadcast in their audience or
 * addressed to them. Anything else is "not found" (never "forbidden": no existence leak).
 */
export async function findVisibleNotice(
  db: Db,
  residentId: string,
  municipalityCode: string,
  noticeId: string,
  now: Date,
) {
  return db
    .selectFrom('notice as n')
    .leftJoin('noticeRead as rd', (j) =>
      j.onRef('rd.noticeId', '=', 'n.id').on('rd.residentId', '=', residentId),
    )
    .select([
      'n.id',
      'n.kind',
      'n.sender',
      'n.titleJa',
      'n.titleEn',
      'n.bodyJa',
      'n.bodyEn',
      'n.publishAt',
      'rd.firstOpenedAt',
    ])
    .where('n.id', '=', noticeId)
    .where('n.publishAt', '<=', now)
    .where('n.withdrawnAt', 'is', null)
    .where((eb) => eb.or([eb('n.expiresAt', 'is', null), eb('n.expiresAt', '>', now)]))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('n.kind', '=', 'broadcast'),
          eb.or([eb('n.audience', '=', 'all'), eb('n.municipalityCode', '=', municipalityCode)]),
        ]),
        eb.exists(
          eb
            .selectFrom('noticeRecipient as r')
            .select(sql`1`.as('one'))
            .whereRef('r.noticeId', '=', 'n.id')
            .where('r.residentId', '=', residentId),
        ),
      ]),
    )
    .executeTakeFirst();
}

/** Records the first opening; a second opening changes nothing. Returns whether this was the first. */
export async function insertFirstOpen(
  db: Db,
  residentId: string,
  noticeId: string,
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('noticeRead')
    .values({ residentId, noticeId, firstOpenedAt: at })
    .onConflict((oc) => oc.columns(['residentId', 'noticeId']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Adds recipient rows for many residents in one statement (resident ids must exist). */
export async function insertRecipients(
  trx: Transaction<Database>,
  noticeId: string,
  publishAt: Date,
  residentIds: string[],
): Promise<number> {
  if (residentIds.length === 0) return 0;
  const result = await sql`
    insert into notice_recipient (resident_id, notice_id, publish_at)
    select unnest(${residentIds}::uuid[]), ${noticeId}::uuid, ${publishAt}
    on conflict do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Resident ids for resident-register codes, in one statement whatever the list's length
 * (a 100,000-code list is one array parameter). Codes without a resident are absent.
 */
export async function findResidentIdsByRegisterCodes(
  db: Db,
  codes: string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  // char(11)[] so the comparison uses the register code's unique index.
  const result = await sql<{ code: string; id: string }>`
    select r.register_code as code, r.id
    from unnest(${codes}::char(11)[]) as c(code)
    join resident r on r.register_code = c.code`.execute(db);
  return new Map(result.rows.map((row) => [row.code, row.id]));
}

/** A municipality as the resident register knows it: its name and how many residents live there. */
export async function findMunicipality(
  db: Db,
  municipalityCode: string,
): Promise<{ name: string; residents: number } | null> {
  const row = await db
    .selectFrom('resident')
    .select((eb) => [
      eb.fn.max('municipalityName').as('name'),
      eb.fn.countAll<string>().as('residents'),
    ])
    .where('municipalityCode', '=', municipalityCode)
    .executeTakeFirst();
  return row?.name ? { name: row.name, residents: Number(row.residents) } : null;
}

const staffNoticeColumns = [
  'n.id',
  'n.kind',
  'n.audience',
  'n.municipalityCode',
  'n.sender',
  'n.titleJa',
  'n.titleEn',
  'n.publishAt',
  'n.expiresAt',
  'n.withdrawnAt',
  'n.audienceSize',
  'n.createdAt',
  'a.displayName as createdByName',
] as const;

/** Every notice for staff, newest publication first, one keyset page (limit + 1 rows). */
export async function findNoticesForStaff(
  db: Db,
  q: { cursor: InboxCursor | null; limit: number },
) {
  let query = db
    .selectFrom('notice as n')
    .leftJoin('account as a', 'a.id', 'n.createdBy')
    .select(staffNoticeColumns)
    .orderBy('n.publishAt', 'desc')
    .orderBy('n.id', 'desc')
    .limit(q.limit + 1);
  if (q.cursor)
    query = query.where(
      sql<boolean>`(n.publish_at, n.id) < (${q.cursor.publishAt}, ${q.cursor.id}::uuid)`,
    );
  return query.execute();
}

/** One notice with everything staff see about it (bodies included). */
export async function findNoticeForStaff(db: Db, noticeId: string) {
  return db
    .selectFrom('notice as n')
    .leftJoin('account as a', 'a.id', 'n.createdBy')
    .select([...staffNoticeColumns, 'n.bodyJa', 'n.bodyEn'])
    .where('n.id', '=', noticeId)
    .executeTakeFirst();
}
