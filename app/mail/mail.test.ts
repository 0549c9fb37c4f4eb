/**
 * The outbox (decision 0049) on a real database, a real pg-boss and a real SMTP server
 * (smtp-server), with what arrived parsed by mailparser.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from '../../test/database.ts';
import { startLocalSmtp, type LocalSmtp } from '../../test/support/mail.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues, startWorkers } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { mailSendHandler } from '../../jobs/handlers/mail.ts';
import { createLogger } from '../platform/logger.server.ts';
import { parseEnv } from '../env.server.ts';
import { deliverMail, queueMail, sweepStrandedMail } from './mail.service.server.ts';
import { claimMailMessage, findMailById } from './mail.repository.server.ts';
import { createMailSender, type MailSender } from './transport.server.ts';
import { renderMail } from './render.ts';
import { appointmentAttachment } from './ics.ts';
import type { OutgoingMail } from './mail.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
let boss: PgBoss;
let smtp: LocalSmtp;
let sender: MailSender;

beforeAll(async () => {
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueues(boss, queues);
  smtp = await startLocalSmtp();
  sender = createMailSender(
    parseEnv({
      NODE_ENV: 'test',
      SMTP_URL: smtp.url,
      MAIL_FROM: '三浦市 窓口 <madoguchi@city.miura.example.jp>',
      MADOGUCHI_PUBLIC_ORIGIN: 'https://madoguchi.city.miura.example.jp',
    }),
  );
});
afterAll(async () => {
  sender.close();
  await smtp.close();
  await boss.stop({ graceful: false });
});
beforeEach(() => {
  smtp.received.length = 0;
  smtp.refuse = false;
  smtp.delayMs = 0;
});

let serial = 0;
const start = new Date('2027-01-15T01:30:00Z'); // 10:30 in Tokyo
const end = new Date('2027-01-15T02:00:00Z');
const longLocation =
  '神奈川県三浦市城山町1番1号 三浦市役所 本館1階 市民課 マイナンバーカード交付窓口（エレベーターをご利用ください）';

function bookingMail(locale: 'ja' | 'en' = 'en', overrides: Partial<OutgoingMail> = {}) {
  serial += 1;
  const uid = `booking-${serial}-${Date.now()}@madoguchi.example.jp`;
  const content = renderMail({
    locale,
    subject: locale === 'ja' ? 'ご予約を受け付けました' : 'Your booking is confirmed',
    greeting: locale === 'ja' ? '三浦 花子 様' : 'Dear Hanako Miura,',
    paragraphs: [
      locale === 'ja'
        ? '次の日時でお待ちしています。'
        : 'We look forward to seeing you <on time> & well.',
    ],
    facts: [{ label: locale === 'ja' ? '場所' : 'Place', value: longLocation }],
  });
  const mail: OutgoingMail = {
    kind: 'booking.confirmation',
    dedupeKey: `booking.confirmation:${uid}`,
    to: 'hanako@example.jp',
    locale,
    ...content,
    attachments: [
      appointmentAttachment({
        uid,
        start,
        end,
        summary: locale === 'ja' ? 'マイナンバーカードの受け取り' : 'My Number card pickup',
        location: longLocation,
      }),
    ],
    municipalityCode: '142107',
    ...overrides,
  };
  return { mail, uid };
}

const row = async (id: string) => (await findMailById(db(), id))!;

/** An .ics file's properties, lines unfolded (RFC 5545 3.1). */
const icsProperties = (ics: string) =>
  Object.fromEntries(
    ics
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter(Boolean)
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1)];
      }),
  );

describe('queueMail', () => {
  it('stores the same message once and sends one job, however often it is queued', async () => {
    const { mail } = bookingMail();
    const [a, b] = await Promise.all([queueMail(boss, db(), mail), queueMail(boss, db(), mail)]);
    const c = await db()
      .transaction()
      .execute((trx) => queueMail(boss, trx, mail));
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect([a.created, b.created, c.created].filter(Boolean)).toHaveLength(1);
    expect(await boss.findJobs('mail.send', { data: { mailId: a.id } })).toHaveLength(1);
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const { mail } = bookingMail();
    let id = '';
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          id = (await queueMail(boss, trx, mail)).id;
          throw new Error('booking refused');
        }),
    ).rejects.toThrow('booking refused');
    expect(await findMailById(db(), id)).toBeUndefined();
    expect(await boss.findJobs('mail.send', { data: { mailId: id } })).toHaveLength(0);
  });

  it('refuses an invalid address before writing anything', async () => {
    const { mail } = bookingMail('en', { to: 'not an address' });
    await expect(queueMail(boss, db(), mail)).rejects.toThrow();
  });
});

describe('deliverMail over SMTP', () => {
  it('delivers subject, language, text, HTML and a valid .ics, and never sends a sent row again', async () => {
    const { mail, uid } = bookingMail('ja');
    const { id } = await queueMail(boss, db(), mail);
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'sent' });
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'done', status: 'sent' });
    expect(smtp.received).toHaveLength(1);

    const got = smtp.received[0]!;
    expect(got.subject).toBe('ご予約を受け付けました');
    expect(got.headers.get('content-language')).toBe('ja');
    expect(got.html).toContain('<html lang="ja">');
    expect(got.text).toContain('三浦 花子 様');
    expect(got.text).toContain(longLocation);
    expect(got.messageId).toBe(`<${id}@city.miura.example.jp>`);
    expect((await row(id)).messageId).toBe(got.messageId);
    expect(await row(id)).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1 });

    const ics = got.attachments.find((a) => a.filename === 'appointment.ics')!;
    expect(ics.contentType).toBe('text/calendar');
    const text = ics.content.toString('utf8');
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const props = icsProperties(text);
    expect(props).toMatchObject({
      UID: uid,
      DTSTART: '20270115T013000Z',
      DTEND: '20270115T020000Z',
      LOCATION: longLocation.replaceAll(',', '\\,'),
    });
  });

  it('escapes the HTML and loads nothing remote', async () => {
    const { mail } = bookingMail('en');
    const { id } = await queueMail(boss, db(), mail);
    await deliverMail(db(), sender, id);
    const got = smtp.received[0]!;
    expect(got.headers.get('content-language')).toBe('en');
    expect(got.html).toContain('<html lang="en">');
    expect(got.html).toContain('&lt;on time&gt; &amp; well.');
    expect(got.html).not.toMatch(/<img|src=|https?:\/\//);
    expect(got.text).toContain('We look forward to seeing you <on time> & well.');
  });

  it('two workers at once: one SMTP delivery', async () => {
    const { mail } = bookingMail();
    const { id } = await queueMail(boss, db(), mail);
    smtp.delayMs = 300;
    const results = await Promise.all([
      deliverMail(db(), sender, id),
      deliverMail(db(), sender, id),
      deliverMail(db(), sender, id),
    ]);
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['busy', 'busy', 'sent']);
    // What the busy ones' retries find later: sent, nothing to do.
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'done', status: 'sent' });
    expect(smtp.received).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a worker that died after claiming: its lease runs out, the retry sends with the same Message-ID', async () => {
    const { mail } = bookingMail();
    const { id } = await queueMail(boss, db(), mail);
    // The dying worker: it claimed the row (fixing its Message-ID) and never came back.
    const claimed = await claimMailMessage(db(), id, 1, sender.messageIdDomain);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'busy' });
    expect(smtp.received).toHaveLength(0);

    await new Promise((r) => setTimeout(r, 1100));
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'sent' });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.messageId).toBe(claimed!.messageId);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a server answering 550: retried, then failed and visible, with no address in the error', async () => {
    const { mail } = bookingMail();
    const { id } = await queueMail(boss, db(), mail);
    smtp.refuse = true;
    const first = await deliverMail(db(), sender, id, { maxAttempts: 3 });
    expect(first).toMatchObject({ outcome: 'retry', attempts: 1 });
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await deliverMail(db(), sender, id, { maxAttempts: 3 })).toMatchObject({
      outcome: 'retry',
      attempts: 2,
    });
    const last = await deliverMail(db(), sender, id, { maxAttempts: 3 });
    expect(last).toMatchObject({ outcome: 'failed', attempts: 3 });
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
    expect(failed.lastError).toMatch(/550/);
    expect(failed.lastError).not.toContain('hanako@example.jp');
    // A failed row is final: the server accepting again changes nothing.
    smtp.refuse = false;
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'done', status: 'failed' });
    expect(smtp.received).toHaveLength(0);
  });

  it('runs through pg-boss: the worker delivers what queueMail queued', async () => {
    const { mail } = bookingMail('en');
    const { id } = await queueMail(boss, db(), mail);
    await startWorkers(boss, [mailSendHandler({ db: db(), mail: sender })], createLogger('silent'));
    try {
      await expect.poll(async () => (await row(id)).status, { timeout: 15_000 }).toBe('sent');
      expect(
        smtp.received.filter((m) => m.messageId === `<${id}@city.miura.example.jp>`),
      ).toHaveLength(1);
    } finally {
      await boss.offWork('mail.send');
    }
  });
});

describe('without SMTP_URL', () => {
  it('keeps the message in the local mailbox, never dropped', async () => {
    const local = createMailSender(parseEnv({ NODE_ENV: 'test' }));
    expect(local.transport).toBe('local');
    const { mail } = bookingMail('ja');
    const { id } = await queueMail(boss, db(), mail);
    expect(await deliverMail(db(), local, id)).toEqual({ outcome: 'held' });
    expect(await deliverMail(db(), local, id)).toEqual({ outcome: 'done', status: 'held' });
    expect(await row(id)).toMatchObject({ status: 'held', transport: 'local', attempts: 1 });
    expect((await row(id)).sentAt).toBeInstanceOf(Date);
    expect(smtp.received).toHaveLength(0);
  });
});

describe('SMTP_URL', () => {
  it('takes smtp: and smtps: URLs and refuses anything else by name', () => {
    expect(parseEnv({ SMTP_URL: 'smtps://u:p@mail.example.jp:465' }).SMTP_URL).toBe(
      'smtps://u:p@mail.example.jp:465',
    );
    expect(parseEnv({ SMTP_URL: '' }).SMTP_URL).toBeUndefined();
    expect(() => parseEnv({ SMTP_URL: 'http://mail.example.jp' })).toThrow(/SMTP_URL/);
  });

  it('ends Message-IDs with the From address’s domain, or the public origin’s host', () => {
    const bare = createMailSender(
      parseEnv({ MADOGUCHI_PUBLIC_ORIGIN: 'https://madoguchi.example.jp' }),
    );
    expect(bare.from).toBe('Madoguchi <madoguchi@madoguchi.example.jp>');
    expect(bare.messageIdDomain).toBe('madoguchi.example.jp');
    expect(sender.messageIdDomain).toBe('city.miura.example.jp');
  });
});

describe('the sweeper', () => {
  it('gives a row whose claim lapsed a new job, once', async () => {
    const { mail } = bookingMail();
    const { id } = await queueMail(boss, db(), mail);
    await claimMailMessage(db(), id, 0, sender.messageIdDomain);
    expect(await sweepStrandedMail(boss, db())).toBeGreaterThanOrEqual(1);
    await sweepStrandedMail(boss, db());
    expect(await boss.findJobs('mail.send', { data: { mailId: id } })).toHaveLength(2);
    expect(await deliverMail(db(), sender, id)).toEqual({ outcome: 'sent' });
    expect(smtp.received).toHaveLength(1);
  });
});
