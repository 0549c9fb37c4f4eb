/**
 * The mail outbox (decision 0049). Domains call queueMail inside the transaction that makes
 * the change the mail tells about; the row and its mail.send job commit together or not at
 * all. deliverMail is the job's work: claim, send, record — at most one sender per row at a
 * time, a sent row never sent again.
 */
import type { Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import type { AuditActor } from '../audit/audit.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { MailDetail, MailStatus, MailSummary, OutgoingMail } from './mail.ts';
import { mailSendQueue } from './mail.queues.ts';
import { OutgoingMailSchema } from './mail.schema.ts';
import {
  claimMailMessage,
  findMailById,
  findMailIdByDedupeKey,
  findMailStatus,
  findRecentMail,
  findStrandedMail,
  insertMailMessage,
  markMailAttemptFailed,
  markMailDelivered,
} from './mail.repository.server.ts';
import { describeSendError, MAIL_LEASE_SECONDS, type MailSender } from './transport.server.ts';

export type QueuedMail = { id: string; created: boolean };

/**
 * Stores the message in the outbox and sends its mail.send job in the same transaction (the
 * caller's, or one of its own when given the pool). The same dedupeKey again stores nothing
 * and sends no job: it answers the first message's id with `created: false`.
 */
export async function queueMail(
  boss: PgBoss,
  db: Db | Transaction<Database>,
  mail: OutgoingMail,
): Promise<QueuedMail> {
  const checked = OutgoingMailSchema.parse(mail);
  const work = async (trx: Transaction<Database>): Promise<QueuedMail> => {
    const id = await insertMailMessage(trx, {
      municipalityCode: checked.municipalityCode ?? null,
      kind: checked.kind,
      dedupeKey: checked.dedupeKey,
      toAddress: checked.to,
      locale: checked.locale,
      subject: checked.subject,
      textBody: checked.text,
      htmlBody: checked.html,
      attachments: (checked.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        contentBase64: Buffer.from(a.content).toString('base64'),
      })),
    });
    if (id === null) {
      const existing = await findMailIdByDedupeKey(trx, checked.dedupeKey);
      if (existing === null) throw new Error('mail dedupe key taken but no row found');
      return { id: existing, created: false };
    }
    await enqueue(boss, trx, mailSendQueue, { mailId: id });
    return { id, created: true };
  };
  return db.isTransaction
    ? work(db as Transaction<Database>)
    : (db as Db).transaction().execute(work);
}

export type DeliveryOutcome =
  /** Handed to the SMTP server, or kept in the local mailbox. */
  | { outcome: 'sent' | 'held' }
  /** Nothing to do: already sent, held or failed, or no such row. */
  | { outcome: 'done'; status: MailStatus | 'missing' }
  /** Another worker holds a live claim; try again after its lease. */
  | { outcome: 'busy' }
  /** This attempt failed; the row is queued again for the next retry. */
  | { outcome: 'retry'; error: string; attempts: number }
  /** The last attempt failed; the row is 'failed'. */
  | { outcome: 'failed'; error: string; attempts: number };

/** Attempts a row gets: the first try and every retry of its job. */
export const MAIL_MAX_ATTEMPTS = (mailSendQueue.options.retryLimit ?? 0) + 1;

/**
 * One delivery attempt. The claim is a conditional update, so two workers never both send a
 * row; a worker that died mid-send leaves its claim to expire (the lease), and the next attempt
 * sends again with the same Message-ID — the one case where a recipient may see a message
 * twice, and then as the same message. A row already 'sent' is never sent again.
 */
export async function deliverMail(
  db: Db,
  sender: MailSender,
  mailId: string,
  options: { leaseSeconds?: number; maxAttempts?: number } = {},
): Promise<DeliveryOutcome> {
  const maxAttempts = options.maxAttempts ?? MAIL_MAX_ATTEMPTS;
  const row = await claimMailMessage(
    db,
    mailId,
    options.leaseSeconds ?? MAIL_LEASE_SECONDS,
    sender.messageIdDomain,
  );
  if (!row) {
    const current = await findMailStatus(db, mailId);
    if (current?.status === 'sending') return { outcome: 'busy' };
    if (current?.status === 'queued') return { outcome: 'busy' }; // freed just now: retry
    return { outcome: 'done', status: current?.status ?? 'missing' };
  }
  if (sender.transport === 'local') {
    await markMailDelivered(db, row.id, 'held', 'local');
    return { outcome: 'held' };
  }
  try {
    await sender.send({
      messageId: row.messageId!,
      from: sender.from,
      to: row.toAddress,
      locale: row.locale,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody,
      date: row.createdAt,
      attachments: row.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: Buffer.from(a.contentBase64, 'base64'),
      })),
    });
  } catch (error) {
    const described = describeSendError(error);
    const last = row.attempts >= maxAttempts;
    await markMailAttemptFailed(db, row.id, last ? 'failed' : 'queued', described);
    return { outcome: last ? 'failed' : 'retry', error: described, attempts: row.attempts };
  }
  await markMailDelivered(db, row.id, 'sent', 'smtp');
  return { outcome: 'sent' };
}

/**
 * Gives stranded rows (queued long ago, or a lapsed claim) a new job (mailSweepQueue): one per
 * row per ten minutes (a singleton slot), however many sweeps run.
 */
export async function sweepStrandedMail(boss: PgBoss, db: Db): Promise<number> {
  const ids = await findStrandedMail(db, 15 * 60, 500);
  if (ids.length === 0) return 0;
  await db.transaction().execute(async (trx) => {
    for (const mailId of ids)
      await enqueue(
        boss,
        trx,
        mailSendQueue,
        { mailId },
        { singletonKey: mailId, singletonSeconds: 600 },
      );
  });
  return ids.length;
}

const toSummary = (row: Awaited<ReturnType<typeof findRecentMail>>[number]): MailSummary => ({
  id: row.id,
  kind: row.kind,
  locale: row.locale,
  to: row.toAddress,
  subject: row.subject,
  status: row.status,
  transport: row.transport,
  attempts: row.attempts,
  createdAt: row.createdAt,
  sentAt: row.sentAt,
});

/** The newest messages for the staff mail page. */
export async function listRecentMail(
  db: Db,
  filter: { status?: MailStatus; limit: number },
): Promise<MailSummary[]> {
  return (await findRecentMail(db, filter)).map(toSummary);
}

/**
 * One message for the staff page. A message holds personal data (an address, a name, a
 * booking), so reading it is recorded in the audit log.
 */
export async function viewMail(
  db: Db,
  actor: AuditActor,
  mailId: string,
): Promise<MailDetail | null> {
  const row = await findMailById(db, mailId);
  if (!row) return null;
  await recordAudit(db, {
    ...actor,
    action: 'mail.view',
    targetType: 'mail_message',
    targetId: row.id,
    outcome: 'success',
  });
  return {
    ...toSummary(row),
    messageId: row.messageId,
    textBody: row.textBody,
    lastError: row.lastError,
    attachments: row.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: Buffer.from(a.contentBase64, 'base64').length,
    })),
  };
}
