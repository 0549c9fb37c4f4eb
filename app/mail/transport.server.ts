import nodemailer from 'nodemailer';
import type { Env } from '../env.server.ts';

/** One message as it goes on the wire. */
export type WireMail = {
  messageId: string;
  from: string;
  to: string;
  locale: 'ja' | 'en';
  subject: string;
  text: string;
  html: string;
  date: Date;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

/**
 * Where mail goes: an SMTP server (SMTP_URL), or, with none configured, the local mailbox —
 * the outbox row itself, kept as 'held' and shown on the staff mail page (decision 0049).
 */
export type MailSender = {
  transport: 'smtp' | 'local';
  from: string;
  /** The right-hand side of Message-IDs: the From address's domain. */
  messageIdDomain: string;
  /** Sends over SMTP; throws what the server answered. Never called for 'local'. */
  send(mail: WireMail): Promise<void>;
  close(): void;
};

/** Seconds an SMTP conversation may take before it counts as failed (below the claim lease). */
const SMTP_TIMEOUT_SECONDS = 30;

export function createMailSender(
  env: Pick<Env, 'SMTP_URL' | 'MAIL_FROM' | 'publicOrigin'>,
): MailSender {
  const host = new URL(env.publicOrigin).hostname;
  const from = env.MAIL_FROM ?? `Madoguchi <madoguchi@${host}>`;
  const messageIdDomain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? host;
  if (!env.SMTP_URL)
    return {
      transport: 'local',
      from,
      messageIdDomain,
      send: async () => {
        throw new Error('no SMTP server configured: mail is kept in the local mailbox');
      },
      close: () => {},
    };
  const transporter = nodemailer.createTransport({
    url: env.SMTP_URL,
    connectionTimeout: SMTP_TIMEOUT_SECONDS * 1000,
    greetingTimeout: SMTP_TIMEOUT_SECONDS * 1000,
    socketTimeout: SMTP_TIMEOUT_SECONDS * 1000,
  });
  return {
    transport: 'smtp',
    from,
    messageIdDomain,
    async send(mail) {
      await transporter.sendMail({
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        date: mail.date,
        headers: { 'Content-Language': mail.locale },
        attachments: mail.attachments,
      });
    },
    close: () => transporter.close(),
  };
}

/** The lease must outlast the longest SMTP conversation, so a live sender is never overtaken. */
export const MAIL_LEASE_SECONDS = SMTP_TIMEOUT_SECONDS * 4;

const ADDRESS = /[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g;

/**
 * What is kept of a failed send: the server's code and answer with addresses blanked, so the
 * row's last_error and the log never carry personal data.
 */
export function describeSendError(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const text = (e.response ?? e.message ?? String(error)).replace(ADDRESS, '<address>');
  return [e.responseCode, e.code, text.slice(0, 300)].filter(Boolean).join(' ');
}
