import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, MailAttachmentRow } from '../../db/schema.ts';
import type { MailStatus } from './mail.ts';

export type NewMailRow = {
  municipalityCode: string | null;
  kind: string;
  dedupeKey: string;
  toAddress: string;
  locale: 'ja' | 'en';
  subject: string;
  textBody: string;
  htmlBody: string;
  attachments: MailAttachmentRow[];
};

/**
 * Inserts the row unless one with the same dedupe key exists: the unique index decides, so two
 * transactions queueing the same message at once store one (the second waits for the first and
 * then inserts nothing). Returns the new id, or null when the key was taken.
 */
export async function insertMailMessage(
  trx: Transaction<Database>,
  row: NewMailRow,
): Promise<string | null> {
  const inserted = await trx
    .insertInto('mailMessage')
    .values({
      ...row,
      attachments: sql<string>`${JSON.stringify(row.attachments)}::text::jsonb`,
    })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function findMailIdByDedupeKey(
  db: Db | Transaction<Database>,
  dedupeKey: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('mailMessage')
    .select('id')
    .where('dedupeKey', '=', dedupeKey)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Claims a row for sending: one conditional update, so of two workers only one gets it (the
 * other waits on the row lock, then finds it no longer claimable). Claimable: queued, or
 * sending with a lease that ran out (its worker died). Counts the attempt.
 */
export async function claimMailMessage(
  db: Db,
  id: string,
  leaseSeconds: number,
  messageIdDomain: string,
) {
  return db
    .updateTable('mailMessage')
    .set((eb) => ({
      status: 'sending',
      // The first claim fixes the Message-ID; every later attempt sends the same one.
      messageId: sql<string>`coalesce(message_id, '<' || id || '@' || ${messageIdDomain} || '>')`,
      leaseUntil: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<', sql<Date>`now()`)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function findMailStatus(db: Db, id: string) {
  return db
    .selectFrom('mailMessage')
    .select(['status', 'leaseUntil', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks a claimed row delivered ('sent' over SMTP, 'held' in the local mailbox). */
export async function markMailDelivered(
  db: Db,
  id: string,
  status: 'sent' | 'held',
  transport: 'smtp' | 'local',
) {
  await db
    .updateTable('mailMessage')
    .set({ status, transport, sentAt: sql<Date>`now()`, leaseUntil: null, lastError: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** A failed attempt: back to 'queued' for the next retry, or 'failed' after the last. */
export async function markMailAttemptFailed(
  db: Db,
  id: string,
  status: 'queued' | 'failed',
  lastError: string,
) {
  await db
    .updateTable('mailMessage')
    .set({ status, leaseUntil: null, lastError })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Rows a job should be delivering but may have lost (see mailSweepQueue). */
export async function findStrandedMail(db: Db, olderThanSeconds: number, limit: number) {
  const rows = await db
    .selectFrom('mailMessage')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'queued'),
          eb('createdAt', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`),
        ]),
        eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<', sql<Date>`now()`)]),
      ]),
    )
    .orderBy('createdAt')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

const summaryColumns = [
  'id',
  'kind',
  'locale',
  'toAddress',
  'subject',
  'status',
  'transport',
  'attempts',
  'createdAt',
  'sentAt',
] as const;

/** The newest messages first, optionally of one status; keyset page by (created_at, id). */
export async function findRecentMail(
  db: Db,
  filter: { status?: MailStatus; before?: { createdAt: Date; id: string }; limit: number },
) {
  let query = db.selectFrom('mailMessage').select(summaryColumns);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.before) {
    const { createdAt, id } = filter.before;
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(createdAt, id)));
  }
  return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function findMailById(db: Db, id: string) {
  return db
    .selectFrom('mailMessage')
    .select([...summaryColumns, 'locale', 'messageId', 'textBody', 'lastError', 'attachments'])
    .where('id', '=', id)
    .executeTakeFirst();
}
