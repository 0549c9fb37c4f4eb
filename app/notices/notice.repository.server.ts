import { sql, type RawBuilder, type Transaction } from 'kysely';
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

type PageQuery = Omit<InboxQuery, 'municipalityCode'> & {
  /** SQL for the resident's municipality code: a parameter, or a lookup in the same statement. */
  municipality: RawBuilder<unknown>;
};

/** The page's SQL: the two bounded branches merged, `limit + 1` rows, newest first. */
function inboxPageSql(q: PageQuery) {
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
  return sql`
    select n.id, n.kind, n.sender, n.title_ja as "titleJa", n.title_en as "titleEn", n.publish_at as "publishAt",
           rd.first_opened_at as "firstOpenedAt"
    from (
      (select n.id, n.publish_at from notice n
        where n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = ${q.municipality})
          and ${live} and ${before} and ${unread} and ${sender} and ${search}
        order by n.publish_at desc, n.id desc limit ${take})
      union all
      (select r.notice_id as id, r.publish_at from notice_recipient r join notice n on n.id = r.notice_id
        where r.resident_id = ${q.residentId}::uuid and r.publish_at <= ${q.now}
          and ${live} and ${beforeR} and ${unread} and ${sender} and ${search}
        order by r.publish_at desc, r.notice_id desc limit ${take})
    ) p
    join notice n on n.id = p.id
    left join notice_read rd on rd.resident_id = ${q.residentId}::uuid and rd.notice_id = p.id
    order by p.publish_at desc, p.id desc
    limit ${take}`;
}

/**
 * One page of a resident's inbox, newest first: the broadcasts in their audience and the
 * targeted notices addressed to them, merged. Each side is an index range scan that stops
 * after `limit + 1` rows past the cursor, so page 1,000 costs what page 1 costs.
 */
export async function findInboxPage(db: Db, q: InboxQuery): Promise<InboxRow[]> {
  const result =
    await sql<InboxRow>`${inboxPageSql({ ...q, municipality: sql`${q.municipalityCode}` })}`.execute(
      db,
    );
  return result.rows;
}

/** Unread counts are shown up to here: a page says "1,000 or more" beyond. */
export const UNREAD_COUNT_CAP = 1000;

/**
 * The resident's stored unread count (migration 0007), when it is current: computed for this
 * municipality, nothing changed since (version and epoch), and `now` in the interval around
 * its computation with no publication or expiry in the inbox (so requests under load, whose
 * clocks were read a little earlier or later, agree on the same stored count).
 */
const storedUnreadSql = (residentId: string, municipality: RawBuilder<unknown>, now: Date) => sql`
  select u.unread from notice_unread u
  where u.resident_id = ${residentId}::uuid and u.cached_version = u.version
    and u.epoch = (select e.epoch from notice_unread_epoch e where e.id)
    and u.municipality_code = ${municipality}
    and (u.valid_from is null or u.valid_from <= ${now}) and (u.valid_until is null or u.valid_until > ${now})`;

/**
 * One page of the inbox, the resident's municipality and their stored unread count (null when
 * it must be recounted), in one statement. With an empty page, one row without a notice.
 */
export async function findInboxPageWithUnread(
  db: Db,
  q: Omit<InboxQuery, 'municipalityCode'>,
): Promise<{ municipalityCode: string; rows: InboxRow[]; storedUnread: number | null } | null> {
  const municipality = sql`(select me.municipality_code from me)`;
  const result = await sql<
    { municipalityCode: string; storedUnread: number | null } & Omit<InboxRow, 'id'> & {
        id: string | null;
      }
  >`
    with me as materialized (select municipality_code from resident where id = ${q.residentId}::uuid),
    page as materialized (${inboxPageSql({ ...q, municipality })})
    select me.municipality_code as "municipalityCode",
           (${storedUnreadSql(q.residentId, municipality, q.now)}) as "storedUnread",
           page.*
    from me left join page on true
    order by page."publishAt" desc, page.id desc`.execute(db);
  const first = result.rows[0];
  if (!first) return null;
  const rows: InboxRow[] = [];
  for (const r of result.rows)
    if (r.id !== null)
      rows.push({
        id: r.id,
        kind: r.kind,
        sender: r.sender,
        titleJa: r.titleJa,
        titleEn: r.titleEn,
        publishAt: r.publishAt,
        firstOpenedAt: r.firstOpenedAt,
      });
  return { municipalityCode: first.municipalityCode, storedUnread: first.storedUnread, rows };
}

/** The resident's municipality and stored unread count (null: recount), in one statement. */
export async function findStoredUnread(
  db: Db,
  residentId: string,
  now: Date,
): Promise<{ municipalityCode: string; storedUnread: number | null } | null> {
  const result = await sql<{ municipalityCode: string; storedUnread: number | null }>`
    with me as materialized (select municipality_code from resident where id = ${residentId}::uuid)
    select me.municipality_code as "municipalityCode",
           (${storedUnreadSql(residentId, sql`(select me.municipality_code from me)`, now)}) as "storedUnread"
    from me`.execute(db);
  return result.rows[0] ?? null;
}

/**
 * Counts the resident's unread notices now (broadcasts in their audience and the targeted
 * notices addressed to them, live and not opened) and stores the count for the next pages,
 * with the interval it is right for (between the publications and expiries in the inbox
 * nearest to `now`).
 * The store is a compare-and-set on the resident's version read in the same snapshot as the
 * count: if a notice reached them or was opened meanwhile, the count is not stored. O(inbox),
 * once per change; the pages in between read one row.
 */
export async function countUnread(
  db: Db,
  residentId: string,
  municipalityCode: string,
  now: Date,
): Promise<number> {
  // The row must exist before the count's snapshot, so that a concurrent change (whose
  // triggers upsert it) either is in the snapshot or makes the compare-and-set fail.
  await sql`insert into notice_unread (resident_id) values (${residentId}::uuid) on conflict do nothing`.execute(
    db,
  );
  const result = await sql<{ n: number }>`
    with inbox as (
      select n.publish_at, n.expires_at, rd.notice_id is null as unread
      from notice n
      left join notice_read rd on rd.resident_id = ${residentId}::uuid and rd.notice_id = n.id
      where n.kind = 'broadcast' and (n.audience = 'all' or n.municipality_code = ${municipalityCode})
        and n.withdrawn_at is null
      union all
      select n.publish_at, n.expires_at, rd.notice_id is null as unread
      from notice_recipient r
      join notice n on n.id = r.notice_id
      left join notice_read rd on rd.resident_id = r.resident_id and rd.notice_id = r.notice_id
      where r.resident_id = ${residentId}::uuid and n.withdrawn_at is null
    ),
    counted as (
      select count(*) filter (where unread and publish_at <= ${now}
                                and (expires_at is null or expires_at > ${now}))::int as n,
             greatest(max(publish_at) filter (where publish_at <= ${now}),
                      max(expires_at) filter (where expires_at <= ${now})) as valid_from,
             least(min(publish_at) filter (where publish_at > ${now}),
                   min(expires_at) filter (where expires_at > ${now})) as valid_until
      from inbox
    ),
    state as (
      select u.version, (select e.epoch from notice_unread_epoch e where e.id) as epoch
      from notice_unread u where u.resident_id = ${residentId}::uuid
    ),
    stored as (
      update notice_unread u
      set cached_version = s.version, epoch = s.epoch, municipality_code = ${municipalityCode},
          computed_at = ${now}, valid_from = c.valid_from, valid_until = c.valid_until, unread = c.n
      from counted c, state s
      where u.resident_id = ${residentId}::uuid and u.version = s.version
      returning 1
    )
    select c.n from counted c`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * A notice as one resident may see it: live now, and either a broadcast in their audience or
 * addressed to them. Anything else is "not found" (never "forbidden": no existence leak).
 * The first opening is recorded in the same statement (`firstOpen`), once, whoever opens it.
 */
export async function openVisibleNotice(db: Db, residentId: string, noticeId: string, now: Date) {
  const result = await sql<{
    id: string;
    kind: 'broadcast' | 'targeted';
    sender: string;
    titleJa: string | null;
    titleEn: string | null;
    bodyJa: string | null;
    bodyEn: string | null;
    publishAt: Date;
    firstOpen: boolean;
  }>`
    with v as materialized (
      select n.id, n.kind, n.sender, n.title_ja, n.title_en, n.body_ja, n.body_en, n.publish_at,
             exists (select 1 from notice_read rd
                     where rd.resident_id = ${residentId}::uuid and rd.notice_id = n.id) as opened
      from notice n
      where n.id = ${noticeId}::uuid and n.publish_at <= ${now} and n.withdrawn_at is null
        and (n.expires_at is null or n.expires_at > ${now})
        and ((n.kind = 'broadcast' and (n.audience = 'all'
               or n.municipality_code = (select r.municipality_code from resident r where r.id = ${residentId}::uuid)))
          or exists (select 1 from notice_recipient r
                     where r.resident_id = ${residentId}::uuid and r.notice_id = n.id))
    ),
    first as (
      insert into notice_read (resident_id, notice_id, first_opened_at)
      select ${residentId}::uuid, v.id, ${now} from v where not v.opened
      on conflict do nothing
      returning notice_id
    )
    select v.id, v.kind, v.sender, v.title_ja as "titleJa", v.title_en as "titleEn",
           v.body_ja as "bodyJa", v.body_en as "bodyEn", v.publish_at as "publishAt",
           exists (select 1 from first) as "firstOpen"
    from v`.execute(db);
  return result.rows[0];
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
