import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { useTestDatabase } from '../database.ts';
import { deliverMail, queueMail } from '../../app/mail/mail.service.server.ts';
import { createMailSender, type MailSender } from '../../app/mail/transport.server.ts';
import { parseEnv } from '../../app/env.server.ts';
import type { OutgoingMail } from '../../app/mail/mail.ts';
import { useBoss } from './routes.ts';

/**
 * A real SMTP server on a free loopback port (smtp-server), keeping what it received parsed by
 * mailparser. `refuse` makes it answer every recipient with a permanent 550, as a server does
 * for an unknown mailbox.
 */
export type LocalSmtp = {
  url: string;
  received: ParsedMail[];
  refuse: boolean;
  /** Milliseconds the server waits before accepting a message's data (a slow server). */
  delayMs: number;
  close(): Promise<void>;
};

export async function startLocalSmtp(): Promise<LocalSmtp> {
  const state: LocalSmtp = {
    url: '',
    received: [],
    refuse: false,
    delayMs: 0,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.refuse) {
        const error = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      } else callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void simpleParser(Buffer.concat(chunks)).then((parsed) => {
          setTimeout(() => {
            state.received.push(parsed);
            callback();
          }, state.delayMs);
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * Mail as the app keeps it without SMTP_URL: queued through the outbox and delivered by the
 * job's work to the local mailbox ('held'). Takes a started pg-boss (queueMail sends a job).
 */
export async function heldMail(db: Db, boss: PgBoss, mail: OutgoingMail): Promise<string> {
  const { id } = await queueMail(boss, db, mail);
  const local = createMailSender({ publicOrigin: 'http://localhost:3000' });
  const result = await deliverMail(db, local, id);
  if (result.outcome !== 'held' && result.outcome !== 'done') throw new Error(result.outcome);
  return id;
}

/** A started pg-boss with every queue, no workers, for tests that queue mail. */
export const useQueues = (database: ReturnType<typeof useTestDatabase>) => useBoss(database);

/** The outbox rows of one kind whose dedupe key starts with a prefix, oldest first. */
export function mailRows(db: Db, kind: string, dedupePrefix = '') {
  return db
    .selectFrom('mailMessage')
    .select(['id', 'toAddress', 'locale', 'status', 'dedupeKey'])
    .where('kind', '=', kind)
    .where('dedupeKey', 'like', `${dedupePrefix}%`)
    .orderBy('createdAt')
    .execute();
}

/**
 * A local SMTP server (startLocalSmtp) and the app's sender pointed at it, for the whole file;
 * what arrived is in `smtp.received`.
 */
export function useSmtpSender(publicOrigin: string) {
  const setup = {} as { smtp: LocalSmtp; sender: MailSender };
  beforeAll(async () => {
    setup.smtp = await startLocalSmtp();
    setup.sender = createMailSender(
      parseEnv({
        NODE_ENV: 'test',
        SMTP_URL: setup.smtp.url,
        MADOGUCHI_PUBLIC_ORIGIN: publicOrigin,
      }),
    );
  });
  afterAll(async () => {
    setup.sender.close();
    await setup.smtp.close();
  });
  return setup;
}
