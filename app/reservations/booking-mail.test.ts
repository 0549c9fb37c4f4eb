/**
 * A booking's emails through the real outbox, a real pg-boss and a real SMTP server: what the
 * resident receives (subject, language, text, HTML, .ics) at booking, change, cancellation and
 * the day before — the reminder queued once however many runs look for it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { startLocalSmtp, useQueues, type LocalSmtp } from '../../test/support/mail.ts';
import { bookingMailRows, insertFacility, insertSlot } from '../../test/support/reservations.ts';
import { insertTargets, targetRows } from '../../test/support/targets.ts';
import { parseEnv } from '../env.server.ts';
import { deliverMail } from '../mail/mail.service.server.ts';
import { createMailSender, type MailSender } from '../mail/transport.server.ts';
import { formatReservationId } from './booking.ts';
import { book, cancelBooking, changeBooking } from './booking.service.server.ts';
import { queueDueReminders } from './booking-reminders.service.server.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import { closeSlot } from './calendar.service.server.ts';
import { staffWithSession } from '../../test/support/routes.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const CITY = '142110';
const ORIGIN = 'https://madoguchi.city.miura.example.jp';
const resident = {
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: null,
};
let smtp: LocalSmtp;
let sender: MailSender;
let mailer: BookingMailer;
let facilityId = '';

beforeAll(async () => {
  smtp = await startLocalSmtp();
  sender = createMailSender(
    parseEnv({ NODE_ENV: 'test', SMTP_URL: smtp.url, MADOGUCHI_PUBLIC_ORIGIN: ORIGIN }),
  );
  mailer = { boss: queues.boss, publicOrigin: ORIGIN };
  facilityId = await insertFacility(db(), CITY);
});
afterAll(async () => {
  sender.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.received.length = 0;
});

/** Sends every outbox row about the booking that is not sent yet; returns what arrived. */
async function deliverAbout(bookingId: string) {
  for (const row of await bookingMailRows(db(), bookingId)) await deliverMail(db(), sender, row.id);
  return smtp.received;
}

const tuesday = new Date('2027-03-02T10:00:00+09:00');
const mondayMorning = new Date('2027-03-01T09:00:00+09:00');

async function booked(locale: 'ja' | 'en', people = 2, startsAt = tuesday) {
  const slotId = await insertSlot(db(), CITY, facilityId, { startsAt, capacity: 10 });
  const targets = await insertTargets(db(), { city: CITY, count: people, state: 'letter_printed' });
  const outcome = await book(
    db(),
    resident,
    {
      municipalityCode: CITY,
      kind: 'card_pickup',
      slotId,
      members: targets.map((targetId) => ({ targetId, verifiedBy: 'session' as const })),
      email: 'hanako@example.jp',
      locale,
      idempotencyKey: randomUUID(),
      via: 'letter',
    },
    new Date('2027-02-20T12:00:00+09:00'),
    mailer,
  );
  if (outcome.outcome !== 'booked') throw new Error(outcome.outcome);
  return { bookingId: outcome.bookingId, targets, slotId };
}

describe('booking emails', () => {
  it('confirms at once in the booking’s language, as text, HTML and an .ics event', async () => {
    const { bookingId, targets } = await booked('ja');
    const [mail] = await deliverAbout(bookingId);
    expect(mail?.subject).toBe('【ご予約を受け付けました】マイナンバーカードの受け取り');
    expect(mail?.headers.get('content-language')).toBe('ja');
    const ids = (await targetRows(db(), targets)).map((t) =>
      formatReservationId(t.reservationId ?? ''),
    );
    for (const id of ids) expect(mail?.text).toContain(id);
    expect(mail?.text).toContain('三浦市役所 市民課');
    expect(mail?.text).toContain(`${ORIGIN}/ja/reservations`);
    expect(mail?.html).toContain('<html lang="ja"');
    const ics = mail?.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    const calendar = ics?.content.toString('utf8') ?? '';
    expect(calendar).toContain('DTSTART:20270302T010000Z');
    expect(calendar).toContain(`UID:${bookingId}@madoguchi`);
    expect(calendar).toContain('METHOD:PUBLISH');
  });

  it('tells of a change and a cancellation, in English for an English booking', async () => {
    const { bookingId } = await booked('en', 1, new Date('2027-03-02T11:00:00+09:00'));
    const later = await insertSlot(db(), CITY, facilityId, {
      startsAt: new Date('2027-03-03T14:00:00+09:00'),
      capacity: 3,
    });
    expect(
      await changeBooking(
        db(),
        resident,
        CITY,
        bookingId,
        later,
        { staffId: null },
        mondayMorning,
        mailer,
      ),
    ).toEqual({ outcome: 'changed' });
    expect(
      await cancelBooking(
        db(),
        resident,
        CITY,
        bookingId,
        { staffId: null },
        mondayMorning,
        mailer,
      ),
    ).toMatchObject({ outcome: 'cancelled' });
    const received = await deliverAbout(bookingId);
    expect(received.map((m) => m.subject)).toEqual([
      'Your booking is confirmed: My Number card pickup',
      'Your booking has changed: My Number card pickup',
      'Your booking is cancelled: My Number card pickup',
    ]);
    expect(received[1]?.text).toContain('14:00');
    const cancelIcs = received[2]?.attachments[0]?.content.toString('utf8') ?? '';
    expect(cancelIcs).toContain('METHOD:CANCEL');
  });

  it('queues the reminder once, from 10:00 the day before, however many runs look', async () => {
    const { bookingId } = await booked('ja', 1, new Date('2027-03-04T11:00:00+09:00'));
    const before = new Date('2027-03-03T09:30:00+09:00');
    const after = new Date('2027-03-03T10:07:00+09:00');
    expect(await queueDueReminders(db(), mailer, before)).toBe(0);
    await Promise.all([
      queueDueReminders(db(), mailer, after),
      queueDueReminders(db(), mailer, after),
    ]);
    await queueDueReminders(db(), mailer, new Date('2027-03-03T15:07:00+09:00'));
    const rows = await bookingMailRows(db(), bookingId);
    expect(rows.map((r) => r.kind)).toEqual(['booking.confirmed', 'booking.reminder']);
    const received = await deliverAbout(bookingId);
    expect(received.map((m) => m.subject)).toContain(
      '【明日のご予約】マイナンバーカードの受け取り',
    );
    // Delivering again sends nothing more.
    await deliverAbout(bookingId);
    expect(smtp.received).toHaveLength(2);
  });

  it('closing a slot with bookings tells each booker why and how to book again', async () => {
    const { bookingId, slotId } = await booked('en', 2, new Date('2027-03-05T10:00:00+09:00'));
    const clerk = await staffWithSession(db(), ['reservations:manage']);
    const staff = {
      municipalityCode: CITY,
      actor: {
        actorType: 'staff' as const,
        actorId: clerk.accountId,
        onBehalfOfResidentId: null,
        ip: null,
      },
    };
    expect(await closeSlot(db(), staff, slotId, 'Equipment inspection', mailer)).toEqual({
      outcome: 'closed',
      cancelled: 1,
    });
    const received = await deliverAbout(bookingId);
    const cancelled = received.find(
      (m) => m.subject === 'Your booking is cancelled: My Number card pickup',
    );
    expect(cancelled?.text).toContain('Reason: Equipment inspection');
    expect(cancelled?.text).toContain('Please book another time on the booking site.');
  });
});
