/**
 * The outbox's domain types (decision 0049). Safe for the browser: no database, no transport.
 */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'held', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export type MailLocale = 'ja' | 'en';

export type MailAttachment = { filename: string; contentType: string; content: Uint8Array };

/** What a domain asks to send; `dedupeKey` names the message so queueing it twice stores one. */
export type OutgoingMail = {
  kind: string;
  dedupeKey: string;
  to: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
  municipalityCode?: string | null;
};

/** A message as the staff page lists it. */
export type MailSummary = {
  id: string;
  kind: string;
  locale: MailLocale;
  to: string;
  subject: string;
  status: MailStatus;
  transport: 'smtp' | 'local' | null;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
};

/** One message in full, as its detail page shows it (attachment names, not their bytes). */
export type MailDetail = MailSummary & {
  messageId: string | null;
  textBody: string;
  lastError: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
};
