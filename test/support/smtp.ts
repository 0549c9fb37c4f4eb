import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

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
