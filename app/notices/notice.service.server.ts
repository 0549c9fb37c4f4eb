import type { PgBoss } from 'pg-boss';
import { schedulePush } from '../push/campaign.service.server.ts';
import type { Db } from '../../db/connection.ts';
import type { Locale } from '../i18n/locales.ts';
import {
  UNREAD_COUNT_CAP,
  countUnread,
  findInboxPage,
  findInboxPageWithUnread,
  findMunicipality,
  findNoticeForStaff,
  findNoticesForStaff,
  findStoredUnread,
  insertRecipients,
  openVisibleNotice,
  type InboxRow,
} from './notice.repository.server.ts';
import { encodeCursor, pickLanguage, type InboxCursor } from './notice.ts';
import { isUuid } from '../platform/ids.ts';
import { inTransaction } from '../platform/transaction.server.ts';

export const INBOX_PAGE_SIZE = 20;

async function residentMunicipality(db: Db, residentId: string): Promise<string> {
  const row = await db
    .selectFrom('resident')
    .select('municipalityCode')
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
  return row.municipalityCode;
}

export type InboxItem = {
  id: string;
  kind: 'broadcast' | 'targeted';
  sender: string;
  lang: Locale;
  title: string;
  publishAt: Date;
  unread: boolean;
};

type InboxInput = {
  residentId: string;
  locale: Locale;
  unreadOnly: boolean;
  sender: string | null;
  search: string | null;
  cursor: InboxCursor | null;
  /** Items per page (default INBOX_PAGE_SIZE). */
  limit?: number;
  now?: Date;
};

const normalizeSearch = (search: string | null) => search?.trim().normalize('NFKC') || null;

function toPage(
  rows: InboxRow[],
  locale: Locale,
  limit: number,
): { items: InboxItem[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const { lang, title } = pickLanguage(
        { titleJa: row.titleJa, titleEn: row.titleEn, bodyJa: '', bodyEn: '' },
        locale,
      );
      return {
        id: row.id,
        kind: row.kind,
        sender: row.sender,
        lang,
        title,
        publishAt: row.publishAt,
        unread: row.firstOpenedAt === null,
      };
    }),
    next:
      rows.length > limit && last ? encodeCursor({ publishAt: last.publishAt, id: last.id }) : null,
  };
}

export async function listInbox(
  db: Db,
  input: InboxInput & {
    /** Known already (saves a lookup); read from the resident record otherwise. */
    municipalityCode?: string;
  },
): Promise<{ items: InboxItem[]; next: string | null }> {
  const now = input.now ?? new Date();
  const municipalityCode =
    input.municipalityCode ?? (await residentMunicipality(db, input.residentId));
  const rows = await findInboxPage(db, {
    residentId: input.residentId,
    municipalityCode,
    now,
    unreadOnly: input.unreadOnly,
    sender: input.sender,
    search: normalizeSearch(input.search),
    cursor: input.cursor,
    limit: input.limit ?? INBOX_PAGE_SIZE,
  });
  return toPage(rows, input.locale, input.limit ?? INBOX_PAGE_SIZE);
}

/** The count as pages show it: exact up to the cap, then "at least" the cap. */
const capped = (n: number) => ({
  unread: Math.min(n, UNREAD_COUNT_CAP),
  unreadAtLeast: n >= UNREAD_COUNT_CAP,
});

/**
 * The inbox page and the unread count together, as the notices page shows them. One
 * statement reads the resident's municipality, the page and their stored unread count; only
 * when that count is stale (something reached or left their inbox since) is it recounted and
 * stored again. `unreadAtLeast` is true when the count reached its cap ("1,000 or more").
 */
export async function inboxWithUnread(
  db: Db,
  input: InboxInput,
): Promise<{ items: InboxItem[]; next: string | null; unread: number; unreadAtLeast: boolean }> {
  const now = input.now ?? new Date();
  const found = await findInboxPageWithUnread(db, {
    residentId: input.residentId,
    now,
    unreadOnly: input.unreadOnly,
    sender: input.sender,
    search: normalizeSearch(input.search),
    cursor: input.cursor,
    limit: input.limit ?? INBOX_PAGE_SIZE,
  });
  if (!found) throw new Error(`no resident ${input.residentId}`);
  const unread =
    found.storedUnread ?? (await countUnread(db, input.residentId, found.municipalityCode, now));
  return { ...toPage(found.rows, input.locale, input.limit ?? INBOX_PAGE_SIZE), ...capped(unread) };
}

/** Unread notices in the resident's inbox now, up to UNREAD_COUNT_CAP. */
export async function unreadNoticeCount(
  db: Db,
  residentId: string,
  now = new Date(),
): Promise<number> {
  const found = await findStoredUnread(db, residentId, now);
  if (!found) throw new Error(`no resident ${residentId}`);
  const unread =
    found.storedUnread ?? (await countUnread(db, residentId, found.municipalityCode, now));
  return capped(unread).unread;
}

/**
 * Opens a notice for a resident: null if it is not theirs to see (the page answers 404).
 * The first opening is recorded once, whoever opens it (the resident or their proxy), in the
 * same statement that finds the notice.
 */
export async function openNotice(
  db: Db,
  input: { residentId: string; noticeId: string; locale: Locale; now?: Date },
) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.noticeId))
    return null;
  const now = input.now ?? new Date();
  const notice = await openVisibleNotice(db, input.residentId, input.noticeId, now);
  if (!notice) return null;
  const content = pickLanguage(notice, input.locale);
  return {
    id: notice.id,
    kind: notice.kind,
    sender: notice.sender,
    publishAt: notice.publishAt,
    ...content,
    firstOpen: notice.firstOpen,
  };
}

export type NoticeAudienceInput =
  | { type: 'all' }
  | { type: 'municipality'; municipalityCode: string }
  | { type: 'list'; residentIds: string[] };

export type NewNotice = {
  audience: NoticeAudienceInput;
  sender: string;
  titleJa: string | null;
  bodyJa: string | null;
  titleEn: string | null;
  bodyEn: string | null;
  publishAt: Date;
  expiresAt: Date | null;
  createdBy: string | null;
  idempotencyKey?: string;
  /** False when the resident's apps get their own event push for it: browsers only. */
  pushApps?: boolean;
};

/**
 * Publishes (or schedules, with a future publishAt) a notice. A broadcast is one row whatever
 * its audience; a targeted notice writes one recipient row per resident in the same
 * transaction. A repeated idempotency key returns the first notice instead of a second one.
 */
export async function publishNotice(
  db: Db,
  input: NewNotice,
  options: { boss?: PgBoss } = {},
): Promise<{ id: string; created: boolean; recipients: number }> {
  return inTransaction(db, async (trx) => {
    const kind = input.audience.type === 'list' ? 'targeted' : 'broadcast';
    const row = await trx
      .insertInto('notice')
      .values({
        kind,
        audience: input.audience.type,
        municipalityCode:
          input.audience.type === 'municipality' ? input.audience.municipalityCode : null,
        sender: input.sender,
        titleJa: input.titleJa,
        bodyJa: input.titleJa === null ? null : (input.bodyJa ?? ''),
        titleEn: input.titleEn,
        bodyEn: input.titleEn === null ? null : (input.bodyEn ?? ''),
        publishAt: input.publishAt,
        expiresAt: input.expiresAt,
        audienceSize:
          input.audience.type === 'list' ? new Set(input.audience.residentIds).size : null,
        createdBy: input.createdBy,
        idempotencyKey: input.idempotencyKey ?? null,
        pushApps: input.pushApps ?? true,
      })
      .onConflict((oc) => oc.column('idempotencyKey').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      const existing = await trx
        .selectFrom('notice')
        .select(['id', 'audienceSize'])
        .where('idempotencyKey', '=', input.idempotencyKey ?? '')
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false, recipients: existing.audienceSize ?? 0 };
    }
    const recipients =
      input.audience.type === 'list'
        ? await insertRecipients(trx, row.id, input.publishAt, [
            ...new Set(input.audience.residentIds),
          ])
        : 0;
    // Its pushes: planned when it is published (now, or at the scheduled time).
    if (options.boss)
      await schedulePush(options.boss, trx, { id: row.id, publishAt: input.publishAt });
    return { id: row.id, created: true, recipients };
  });
}

/** Withdraws a published or scheduled notice: it disappears from every inbox at once. */
export async function withdrawNotice(db: Db, noticeId: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('notice')
    .set({ withdrawnAt: now })
    .where('id', '=', noticeId)
    .where('withdrawnAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// Staff views of notices

type NoticeStatus = 'scheduled' | 'published' | 'expired' | 'withdrawn';

/** Where a notice stands for residents at `now`; a withdrawal overrides everything else. */
function noticeStatus(
  notice: { publishAt: Date; expiresAt: Date | null; withdrawnAt: Date | null },
  now = new Date(),
): NoticeStatus {
  if (notice.withdrawnAt) return 'withdrawn';
  if (notice.publishAt > now) return 'scheduled';
  if (notice.expiresAt && notice.expiresAt <= now) return 'expired';
  return 'published';
}

export type StaffNoticeSummary = {
  id: string;
  kind: 'broadcast' | 'targeted';
  audience: 'all' | 'municipality' | 'list';
  municipalityCode: string | null;
  sender: string;
  titleJa: string | null;
  titleEn: string | null;
  publishAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  /** Recipients of a targeted notice; null for a broadcast. */
  recipients: number | null;
  createdAt: Date;
  createdByName: string | null;
  status: NoticeStatus;
};

export type StaffNotice = StaffNoticeSummary & { bodyJa: string | null; bodyEn: string | null };

const STAFF_NOTICE_PAGE_SIZE = 50;

function toStaffSummary(
  row: Awaited<ReturnType<typeof findNoticesForStaff>>[number],
  now: Date,
): StaffNoticeSummary {
  return {
    id: row.id,
    kind: row.kind,
    audience: row.audience,
    municipalityCode: row.municipalityCode,
    sender: row.sender,
    titleJa: row.titleJa,
    titleEn: row.titleEn,
    publishAt: row.publishAt,
    expiresAt: row.expiresAt,
    withdrawnAt: row.withdrawnAt,
    recipients: row.kind === 'targeted' ? (row.audienceSize ?? 0) : null,
    createdAt: row.createdAt,
    createdByName: row.createdByName,
    status: noticeStatus(row, now),
  };
}

/** Every notice, newest publication first (scheduled ones on top), one keyset page at a time. */
export async function listNoticesForStaff(
  db: Db,
  input: { cursor: InboxCursor | null; now?: Date },
): Promise<{ items: StaffNoticeSummary[]; next: string | null }> {
  const now = input.now ?? new Date();
  const rows = await findNoticesForStaff(db, {
    cursor: input.cursor,
    limit: STAFF_NOTICE_PAGE_SIZE,
  });
  const page = rows.slice(0, STAFF_NOTICE_PAGE_SIZE);
  const last = page.at(-1);
  return {
    items: page.map((row) => toStaffSummary(row, now)),
    next:
      rows.length > STAFF_NOTICE_PAGE_SIZE && last
        ? encodeCursor({ publishAt: last.publishAt, id: last.id })
        : null,
  };
}

/** One notice as staff see it, whatever its status; null when there is none. */
export async function getNoticeForStaff(
  db: Db,
  noticeId: string,
  now = new Date(),
): Promise<StaffNotice | null> {
  if (!isUuid(noticeId)) return null;
  const row = await findNoticeForStaff(db, noticeId);
  if (!row) return null;
  return { ...toStaffSummary(row, now), bodyJa: row.bodyJa, bodyEn: row.bodyEn };
}

/** A municipality's name and resident count, or null when no resident lives there. */
export async function describeMunicipality(db: Db, municipalityCode: string) {
  return findMunicipality(db, municipalityCode);
}
