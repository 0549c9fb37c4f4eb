/**
 * Closing a whole day (decision 0056) and a clerk's phone booking without an email address or
 * with the rules' questions, on a real Postgres with the outbox rows as the mail sent.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, routeContext, staffWithSession } from '../../test/support/routes.ts';
import {
  DEFAULT_CITY,
  giveCredentials,
  insertTargets,
  targetState,
} from '../../test/support/targets.ts';
import {
  bookedPlaces,
  bookingMailRows,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { useQueues } from '../../test/support/mail.ts';
import { addDays, formatDateTime, tokyoAt, tokyoDate } from '../i18n/dates.ts';
import { translator } from '../i18n/locales.ts';
import { book } from './booking.service.server.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import { queueDueReminders } from './booking-reminders.service.server.ts';
import { closeDay, dayClosePreview, saveRules } from './calendar.service.server.ts';
import { bookingsCsv } from './staff-days-csv.ts';
import { bookByPhone, dayView, exportBookings } from './staff-days.service.server.ts';
import type { Staff } from './facility.service.server.ts';

const database = useTestDatabase();
const queues = useQueues(database);
const db = () => database.connection.db;
const CITY = DEFAULT_CITY;
let staff: Staff & { actor: { actorId: string } };
let facilityId = '';
let mailer: BookingMailer;
const morning = futureWorkingMorning(12);
const day = tokyoDate(morning);

beforeAll(async () => {
  const clerk = await staffWithSession(db(), ['reservations:manage']);
  staff = {
    municipalityCode: CITY,
    actor: { actorType: 'staff', actorId: clerk.accountId, onBehalfOfResidentId: null, ip: null },
  };
  mailer = { boss: queues.boss, publicOrigin: 'https://madoguchi.example' };
  facilityId = await insertFacility(db(), CITY, { kinds: ['card_pickup'] });
});

async function reservationIdOf(targetId: string) {
  return giveCredentials(db(), routeContext(db()).secrets, staff.actor.actorId, targetId, CITY);
}

/** The ids the card pickup rules gave their questions when saved. */
async function savedQuestionIds() {
  const rules = await db()
    .selectFrom('bookingRule')
    .select('questions')
    .where('municipalityCode', '=', CITY)
    .where('kind', '=', 'card_pickup')
    .executeTakeFirstOrThrow();
  return (rules.questions as { id: string }[]).map((q) => q.id);
}

function residentBooking(slotId: string, targetIds: string[], email = 'hanako@example.jp') {
  return book(
    db(),
    { actorType: 'resident', actorId: null, onBehalfOfResidentId: null, ip: null },
    {
      municipalityCode: CITY,
      kind: 'card_pickup',
      slotId,
      members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'session' as const })),
      email,
      locale: 'en',
      idempotencyKey: randomUUID(),
      via: 'letter',
    },
    new Date(),
    mailer,
  );
}

describe('a clerk booking by phone', () => {
  it('books without an email address: no mail, and the day list and CSV say "told by phone"', async () => {
    const slotId = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(addDays(day, 1), '09:00'),
      capacity: 3,
    });
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const outcome = await bookByPhone(
      db(),
      staff,
      {
        kind: 'card_pickup',
        slotId,
        reservationIds: [await reservationIdOf(target!)],
        email: null,
        phone: '046-882-1111',
        locale: 'ja',
        needs: [],
        idempotencyKey: randomUUID(),
      },
      mailer,
    );
    expect(outcome).toMatchObject({ outcome: 'booked', replayed: false });
    if (outcome.outcome !== 'booked') return;
    expect(await bookingMailRows(db(), outcome.bookingId)).toEqual([]);
    expect(await targetState(db(), target!)).toBe('booked');
    const [slot] = await dayView(db(), CITY, facilityId, addDays(day, 1));
    expect(slot!.bookings[0]).toMatchObject({ email: null, phone: '046-882-1111' });
    const rows = await exportBookings(db(), staff.actor, CITY, facilityId, {
      from: addDays(day, 1),
      to: addDays(day, 1),
    });
    expect(bookingsCsv(rows, translator('en'))).toContain('No email — told by phone');
    // The day before, at the reminder hour: nothing is queued for a booking without an address.
    await queueDueReminders(db(), mailer, tokyoAt(day, '11:00'));
    expect(await bookingMailRows(db(), outcome.bookingId)).toEqual([]);
  });

  it("asks the kind's questions: a required one unanswered is refused, then the answers are stored", async () => {
    await saveRules(db(), staff, {
      kind: 'card_pickup',
      deadlineWorkingDays: 1,
      deadlineTime: '17:00',
      maxPeople: 4,
      horizonDays: 90,
      waitlistHoldHours: 24,
      questions: [
        { id: '', type: 'yesno', required: true, label: { ja: '代理人ですか', en: 'An agent?' } },
        { id: '', type: 'text', required: false, label: { ja: '備考', en: 'Notes' } },
      ],
    });
    const [agent, notes] = await savedQuestionIds();
    const slotId = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(addDays(day, 1), '10:00'),
      capacity: 3,
    });
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const input = {
      kind: 'card_pickup' as const,
      slotId,
      reservationIds: [await reservationIdOf(target!)],
      email: 'taro@example.jp',
      phone: '046-882-1111',
      locale: 'en' as const,
      needs: [],
      idempotencyKey: randomUUID(),
    };
    expect(await bookByPhone(db(), staff, { ...input, answers: { [notes!]: 'x' } })).toEqual({
      outcome: 'answers_invalid',
      problems: { [`q.${agent!}`]: 'errors.answerRequired' },
    });
    expect(await bookedPlaces(db(), CITY, slotId)).toBe(0);
    const outcome = await bookByPhone(
      db(),
      staff,
      {
        ...input,
        answers: { [agent!]: 'yes', [notes!]: ' 杖を使います ', other: 'dropped' },
      },
      mailer,
    );
    expect(outcome).toMatchObject({ outcome: 'booked' });
    if (outcome.outcome !== 'booked') return;
    const stored = await db()
      .selectFrom('booking')
      .select(['answers', 'email'])
      .where('id', '=', outcome.bookingId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      answers: { [agent!]: 'yes', [notes!]: '杖を使います' },
      email: 'taro@example.jp',
    });
    expect(await bookingMailRows(db(), outcome.bookingId)).toMatchObject([
      { kind: 'booking.confirmed', toAddress: 'taro@example.jp', locale: 'en' },
    ]);
  });
});

describe('closing a whole day', () => {
  it('closes every open slot in one step, cancels each booking with the message and mails each booker once', async () => {
    const closeDayOf = addDays(day, 3);
    const nine = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(closeDayOf, '09:00'),
      capacity: 4,
    });
    const ten = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(closeDayOf, '10:00'),
      capacity: 4,
    });
    const empty = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(closeDayOf, '11:00'),
      capacity: 4,
    });
    // Another day's slot is left alone.
    const nextDay = await insertSlot(db(), CITY, facilityId, {
      startsAt: tokyoAt(addDays(closeDayOf, 1), '09:00'),
      capacity: 4,
    });
    const targets = await insertTargets(db(), { city: CITY, count: 4, state: 'letter_printed' });
    const pair = await residentBooking(nine, [targets[0]!, targets[1]!]);
    const single = await residentBooking(ten, [targets[2]!]);
    const [agent] = await savedQuestionIds();
    const byPhone = await bookByPhone(db(), staff, {
      kind: 'card_pickup',
      slotId: ten,
      reservationIds: [await reservationIdOf(targets[3]!)],
      email: null,
      phone: '046-882-1111',
      locale: 'ja',
      needs: [],
      answers: { [agent!]: 'no' },
      idempotencyKey: randomUUID(),
    });
    const ids = [pair, single, byPhone].map((o) => (o.outcome === 'booked' ? o.bookingId : ''));
    expect(ids.every(Boolean)).toBe(true);

    const figures = { slots: 3, bookings: 3, people: 4, withoutEmail: 1 };
    expect(await dayClosePreview(db(), CITY, facilityId, closeDayOf)).toEqual(figures);
    expect(await closeDay(db(), staff, facilityId, closeDayOf, '  ', { mailer })).toEqual({
      outcome: 'needs_message',
      ...figures,
    });
    expect(
      await closeDay(db(), staff, facilityId, closeDayOf, '停電のため', {
        mailer,
        expectedBookings: 2,
      }),
    ).toEqual({ outcome: 'changed', ...figures });

    const message = '停電のため終日休止します';
    const submit = () =>
      closeDay(db(), staff, facilityId, closeDayOf, message, { mailer, expectedBookings: 3 });
    // A double submit: both at once, one closure.
    const outcomes = await Promise.all([submit(), submit()]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_closed', 'closed']);
    expect(outcomes.find((o) => o.outcome === 'closed')).toEqual({ outcome: 'closed', ...figures });
    expect(await submit()).toEqual({ outcome: 'already_closed' });

    for (const slotId of [nine, ten, empty]) {
      expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 4, taken: 0 });
      expect(await bookedPlaces(db(), CITY, slotId)).toBe(0);
    }
    expect(await slotPlaces(db(), CITY, nextDay)).toEqual({ capacity: 4, taken: 0 });
    const closed = await db()
      .selectFrom('bookingSlot')
      .select(['id', 'closedMessage'])
      .where('id', 'in', [nine, ten, empty, nextDay])
      .where('closedAt', 'is not', null)
      .execute();
    expect(closed.map((s) => s.id).sort()).toEqual([nine, ten, empty].sort());
    expect(new Set(closed.map((s) => s.closedMessage))).toEqual(new Set([message]));
    for (const id of targets) expect(await targetState(db(), id)).toBe('letter_printed');

    // One cancellation mail per booking with an address, in the booker's language; none without.
    expect((await bookingMailRows(db(), ids[0]!)).map((m) => m.kind)).toEqual([
      'booking.confirmed',
      'booking.cancelled',
    ]);
    expect((await bookingMailRows(db(), ids[1]!)).map((m) => m.kind)).toEqual([
      'booking.confirmed',
      'booking.cancelled',
    ]);
    expect(await bookingMailRows(db(), ids[2]!)).toEqual([]);
    const mail = await db()
      .selectFrom('mailMessage')
      .select(['textBody', 'locale'])
      .where('dedupeKey', '=', `booking:${ids[0]}:cancelled`)
      .executeTakeFirstOrThrow();
    expect(mail.locale).toBe('en');
    expect(mail.textBody).toContain(message);
    // Another time is offered: the nearest free ones at the same place, not the closed day's.
    expect(mail.textBody).toContain('Times still free at the same place:');
    expect(mail.textBody).toContain(formatDateTime(tokyoAt(addDays(closeDayOf, 1), '09:00'), 'en'));
    expect(mail.textBody).not.toContain(formatDateTime(tokyoAt(closeDayOf, '11:00'), 'en'));

    // Audited once, with its counts and the message.
    const entries = await auditEntries(db(), {
      action: 'reservations.day_close',
      actorId: staff.actor.actorId,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ targetId: facilityId, outcome: 'success' });
    expect(entries[0]!.details).toEqual({ day: closeDayOf, ...figures, mailed: 2, message });
  });

  it('closes a day without bookings with no message, and says when there is nothing to close', async () => {
    const quiet = addDays(day, 5);
    await insertSlot(db(), CITY, facilityId, { startsAt: tokyoAt(quiet, '09:00'), capacity: 2 });
    expect(await closeDay(db(), staff, facilityId, quiet, '')).toEqual({
      outcome: 'closed',
      slots: 1,
      bookings: 0,
      people: 0,
      withoutEmail: 0,
    });
    expect(await closeDay(db(), staff, facilityId, addDays(day, 6), '')).toEqual({
      outcome: 'no_slots',
    });
    expect(await closeDay(db(), staff, randomUUID(), quiet, '')).toEqual({ outcome: 'not_found' });
  });
});
