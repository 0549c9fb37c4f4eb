/**
 * The waitlist on a real PostgreSQL and a real pg-boss (decision 0054): joining, offers that
 * hold places when a booking is cancelled, accepting through book(), decline and expiry
 * offering the next in line, and no overbooking with holds under concurrency. The offer email
 * goes through the outbox to a real SMTP server.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { startLocalSmtp, useQueues, type LocalSmtp } from '../../test/support/mail.ts';
import {
  bookedPlaces,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { auditEntries } from '../../test/support/routes.ts';
import { insertTargets, targetState } from '../../test/support/targets.ts';
import { heldPlaces, offerMailRows, waitlistOf } from '../../test/support/waitlist.ts';
import { parseEnv } from '../env.server.ts';
import { deliverMail } from '../mail/mail.service.server.ts';
import { createMailSender, type MailSender } from '../mail/transport.server.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import { book, cancelBooking, type BookingRequest } from './booking.service.server.ts';
import { closeSlot, saveRules } from './calendar.service.server.ts';
import { RuleSchema } from './facility.schema.ts';
import { dayView } from './staff-days.service.server.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import {
  acceptOffer,
  expireOffers,
  joinWaitlist,
  leaveWaitlist,
  sweepWaitlist,
  type JoinRequest,
} from './waitlist.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const CITY = '142111';
const ORIGIN = 'https://madoguchi.city.miura.example.jp';
const resident = {
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: '192.0.2.8',
};
let facilityId = '';
let mailer: BookingMailer;
let smtp: LocalSmtp;
let sender: MailSender;

beforeAll(async () => {
  facilityId = await insertFacility(db(), CITY);
  mailer = { boss: queues.boss, publicOrigin: ORIGIN };
  smtp = await startLocalSmtp();
  sender = createMailSender(
    parseEnv({ NODE_ENV: 'test', SMTP_URL: smtp.url, MADOGUCHI_PUBLIC_ORIGIN: ORIGIN }),
  );
});
afterAll(async () => {
  sender.close();
  await smtp.close();
});

let hour = 0;
const startOf = new Map<string, Date>();
async function freshSlot(capacity: number) {
  const base = futureWorkingMorning(10);
  const n = hour++;
  const startsAt = new Date(
    base.getTime() + (n % 8) * 3600_000 + Math.floor(n / 8) * 7 * 86_400_000,
  );
  const slotId = await insertSlot(db(), CITY, facilityId, { startsAt, capacity });
  startOf.set(slotId, startsAt);
  return slotId;
}

const people = (count: number) =>
  insertTargets(db(), { city: CITY, count, state: 'letter_printed' });

function bookingOf(slotId: string, targetIds: string[]): BookingRequest {
  return {
    municipalityCode: CITY,
    kind: 'card_pickup',
    slotId,
    members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'session' as const })),
    email: 'taro@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'letter',
  };
}

function joinOf(
  slotId: string,
  targetIds: string[],
  extra: Partial<JoinRequest> = {},
): JoinRequest {
  return {
    municipalityCode: CITY,
    kind: 'card_pickup',
    slotId,
    members: targetIds.map((targetId, i) => ({
      targetId,
      verifiedBy: i === 0 ? ('session' as const) : ('password' as const),
    })),
    email: 'hanako@example.jp',
    locale: 'en',
    answers: { note: 'wheelchair ramp' },
    needs: ['wheelchair'],
    joinKey: randomUUID(),
    ...extra,
  };
}

/** A full slot of `capacity` places, each taken by a booking of one person. */
async function fullSlot(capacity: number) {
  const slotId = await freshSlot(capacity);
  const bookings: string[] = [];
  for (const targetId of await people(capacity)) {
    const outcome = await book(db(), resident, bookingOf(slotId, [targetId]));
    if (outcome.outcome !== 'booked') throw new Error(outcome.outcome);
    bookings.push(outcome.bookingId);
  }
  return { slotId, bookings };
}

async function joined(slotId: string, count = 1, extra: Partial<JoinRequest> = {}) {
  const targets = await people(count);
  const outcome = await joinWaitlist(db(), resident, joinOf(slotId, targets, extra));
  if (outcome.outcome !== 'joined') throw new Error(outcome.outcome);
  return { entryId: outcome.entryId, targets };
}

/** An entry as the resident who joined it names it. */
const mine = (entry: { entryId: string; targets: string[] }) => ({
  code: CITY,
  targetId: entry.targets[0]!,
  entryId: entry.entryId,
});

/** A clerk of the city with reservations:manage, as the calendar service takes one. */
async function reservationsClerk() {
  const { accountId } = await staffWithSession(db(), ['reservations:manage']);
  return {
    municipalityCode: CITY,
    actor: {
      actorType: 'staff' as const,
      actorId: accountId,
      onBehalfOfResidentId: null,
      ip: null,
    },
  };
}

const cancel = (bookingId: string, now = new Date()) =>
  cancelBooking(db(), resident, CITY, bookingId, { staffId: null }, now, mailer);

describe('joining the waitlist', () => {
  it('joins a full slot once, however often the form is sent', async () => {
    const { slotId } = await fullSlot(1);
    const targets = await people(2);
    const request = joinOf(slotId, targets);
    const [a, b] = await Promise.all([
      joinWaitlist(db(), resident, request),
      joinWaitlist(db(), resident, request),
    ]);
    expect(a.outcome).toBe('joined');
    expect(b).toMatchObject({ outcome: 'joined', entryId: (a as { entryId: string }).entryId });
    const line = await waitlistOf(db(), CITY, slotId);
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ status: 'waiting', places: 2, targetId: targets[0] });
    // Another form for the same slot and person: still one live entry.
    expect(await joinWaitlist(db(), resident, { ...request, joinKey: randomUUID() })).toEqual({
      outcome: 'already_waiting',
    });
    expect((await auditEntries(db(), { action: 'reservations.waitlist_join' })).length).toBe(1);
  });

  it('says to book when the slot has room, and refuses a member already booked', async () => {
    const slotId = await freshSlot(2);
    const [first] = await people(1);
    expect(await joinWaitlist(db(), resident, joinOf(slotId, [first!]))).toEqual({
      outcome: 'slot_has_room',
    });
    const { slotId: full } = await fullSlot(1);
    await book(db(), resident, bookingOf(slotId, [first!]));
    expect(await joinWaitlist(db(), resident, joinOf(full, [first!]))).toMatchObject({
      outcome: 'member_already_booked',
    });
  });
});

describe('offers', () => {
  it('a cancellation offers the freed place to the first in line and holds it', async () => {
    const { slotId, bookings } = await fullSlot(2);
    const first = await joined(slotId);
    const second = await joined(slotId);
    const before = new Date();
    expect(await cancel(bookings[0]!)).toMatchObject({ outcome: 'cancelled' });

    const line = await waitlistOf(db(), CITY, slotId);
    expect(line.map((e) => e.status)).toEqual(['offered', 'waiting']);
    expect(line[0]!.id).toBe(first.entryId);
    const expires = line[0]!.offerExpiresAt!.getTime();
    expect(expires).toBeGreaterThan(before.getTime() + 23 * 3600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    // The hold counts: taken unchanged, nobody else can book the place.
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 2, taken: 2 });
    const [other] = await people(1);
    expect(await book(db(), resident, bookingOf(slotId, [other!]))).toMatchObject({
      outcome: 'slot_full',
    });
    expect(second.entryId).not.toBe(first.entryId);

    // The offer email, in the entry's language, through the outbox to a real SMTP server.
    const [row] = await offerMailRows(db(), first.entryId);
    expect(row).toMatchObject({ toAddress: 'hanako@example.jp', locale: 'en' });
    await deliverMail(db(), sender, row!.id);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('A place is free on your waitlist: My Number card pickup');
    expect(mail.text).toContain('We are holding it for you until');
    expect(mail.text).toContain(`${ORIGIN}/en/reservations`);
    expect(mail.html).toContain('Held until');
  });

  it('accepting books through book(): places exact, people booked, line ended', async () => {
    const { slotId, bookings } = await fullSlot(3);
    const { entryId, targets } = await joined(slotId, 2);
    await cancel(bookings[0]!);
    // One place free: the group of two does not fit yet and keeps waiting.
    expect((await waitlistOf(db(), CITY, slotId))[0]!.status).toBe('waiting');
    await cancel(bookings[1]!);
    expect((await waitlistOf(db(), CITY, slotId))[0]!.status).toBe('offered');
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 3, taken: 3 });

    const accepted = await acceptOffer(
      db(),
      resident,
      { code: CITY, targetId: targets[0]!, entryId },
      mailer,
    );
    expect(accepted).toMatchObject({ outcome: 'booked', replayed: false });
    // Confirm pressed twice: the same booking.
    expect(
      await acceptOffer(db(), resident, { code: CITY, targetId: targets[0]!, entryId }, mailer),
    ).toMatchObject({
      outcome: 'booked',
      replayed: true,
    });
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 3, taken: 3 });
    expect(await bookedPlaces(db(), CITY, slotId)).toBe(3);
    expect(await heldPlaces(db(), CITY, slotId)).toBe(0);
    for (const id of targets) expect(await targetState(db(), id)).toBe('booked');
    const [entry] = await waitlistOf(db(), CITY, slotId);
    expect(entry).toMatchObject({ status: 'accepted' });
    expect(entry!.bookingId).toBe((accepted as { bookingId: string }).bookingId);
  });

  it('booking another time ends a place in line, waiting or offered, and gives a held place back', async () => {
    const { slotId, bookings } = await fullSlot(2);
    const first = await joined(slotId);
    const second = await joined(slotId);
    await cancel(bookings[0]!);
    expect((await waitlistOf(db(), CITY, slotId)).map((e) => e.status)).toEqual([
      'offered',
      'waiting',
    ]);
    const elsewhere = await freshSlot(5);
    const bookElsewhere = (targets: string[]) =>
      book(db(), resident, bookingOf(elsewhere, targets), new Date(), mailer);

    expect(await bookElsewhere(second.targets)).toMatchObject({ outcome: 'booked' });
    expect((await waitlistOf(db(), CITY, slotId)).map((e) => e.status)).toEqual([
      'offered',
      'dropped',
    ]);
    expect(await bookElsewhere(first.targets)).toMatchObject({ outcome: 'booked' });
    expect((await waitlistOf(db(), CITY, slotId)).map((e) => e.status)).toEqual([
      'dropped',
      'dropped',
    ]);
    // The place the offer held is free again; nobody is left in line to offer it to.
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 2, taken: 1 });
    expect(await heldPlaces(db(), CITY, slotId)).toBe(0);
  });

  it('an expired offer goes to the next in line; accepting it late is refused', async () => {
    const { slotId, bookings } = await fullSlot(1);
    const first = await joined(slotId);
    const second = await joined(slotId);
    await cancel(bookings[0]!);
    const [offered] = await waitlistOf(db(), CITY, slotId);
    const later = new Date(offered!.offerExpiresAt!.getTime() + 1000);

    // Two workers at once: each offer is expired exactly once.
    const counts = await Promise.all([
      expireOffers(db(), mailer, later),
      expireOffers(db(), mailer, later),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const line = await waitlistOf(db(), CITY, slotId);
    expect(line.map((e) => [e.id, e.status])).toEqual([
      [first.entryId, 'expired'],
      [second.entryId, 'offered'],
    ]);
    expect(
      (await auditEntries(db(), { action: 'reservations.waitlist_expire' })).filter(
        (e) => e.targetId === first.entryId,
      ),
    ).toHaveLength(1);
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 1, taken: 1 });
    expect(await acceptOffer(db(), resident, mine(first), mailer, later)).toEqual({
      outcome: 'offer_expired',
    });
    expect(await offerMailRows(db(), second.entryId)).toHaveLength(1);
  });

  it('declining offers the next; leaving the line ends a waiting entry', async () => {
    const { slotId, bookings } = await fullSlot(1);
    const first = await joined(slotId);
    const second = await joined(slotId);
    const third = await joined(slotId);
    expect(await leaveWaitlist(db(), resident, mine(third), mailer)).toEqual({ outcome: 'left' });
    await cancel(bookings[0]!);
    // Somebody else's entry is not theirs to decline.
    expect(
      await leaveWaitlist(db(), resident, { ...mine(second), entryId: first.entryId }, mailer),
    ).toEqual({ outcome: 'not_found' });
    expect(await leaveWaitlist(db(), resident, mine(first), mailer)).toEqual({
      outcome: 'declined',
    });
    const line = await waitlistOf(db(), CITY, slotId);
    expect(line.map((e) => e.status)).toEqual(['declined', 'offered', 'left']);
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 1, taken: 1 });
    // Staff's day list counts the line per slot.
    const day = await dayView(db(), CITY, facilityId, tokyoDate(startOf.get(slotId)!));
    expect(day.find((s) => s.id === slotId)?.waitlist).toEqual({ entries: 0, offered: 1 });
  });

  it('closing the slot drops its line, gives held places back and tells each one in line', async () => {
    const { slotId, bookings } = await fullSlot(2);
    const first = await joined(slotId);
    const second = await joined(slotId, 1, { locale: 'ja' });
    await cancel(bookings[0]!);
    const staff = await reservationsClerk();
    expect(await closeSlot(db(), staff, slotId, 'Flooding', mailer)).toMatchObject({
      outcome: 'closed',
    });
    const line = await waitlistOf(db(), CITY, slotId);
    expect(line.map((e) => e.status)).toEqual(['dropped', 'dropped']);
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 2, taken: 0 });
    // One mail each, in the entry's language: the time closed, the message, how to book again.
    const [en] = await offerMailRows(db(), first.entryId, 'closed');
    expect(en).toMatchObject({ kind: 'booking.waitlist_closed', locale: 'en' });
    expect(en!.subject).toContain('closed');
    expect(en!.textBody).toContain('Flooding');
    expect(en!.textBody).toContain(`${ORIGIN}/en/reservations`);
    const [ja] = await offerMailRows(db(), second.entryId, 'closed');
    expect(ja).toMatchObject({ kind: 'booking.waitlist_closed', locale: 'ja' });
    expect(ja!.textBody).toContain('予約サイト');
    // Closing again changes nothing and mails nobody twice.
    expect(await closeSlot(db(), staff, slotId, 'Flooding', mailer)).toMatchObject({
      outcome: 'already_closed',
    });
    expect(await offerMailRows(db(), first.entryId, 'closed')).toHaveLength(1);
  });

  it('the sweep offers places freed without a mailer', async () => {
    const { slotId, bookings } = await fullSlot(1);
    const { entryId } = await joined(slotId);
    await cancelBooking(db(), resident, CITY, bookings[0]!, { staffId: null });
    expect((await waitlistOf(db(), CITY, slotId))[0]!.status).toBe('waiting');
    const swept = await sweepWaitlist(db(), mailer);
    expect(swept.offered).toBeGreaterThanOrEqual(1);
    expect((await waitlistOf(db(), CITY, slotId))[0]).toMatchObject({
      id: entryId,
      status: 'offered',
    });
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 1, taken: 1 });
  });
});

describe('no overbooking with holds', () => {
  it('cancellations, offers, accepts, expiries and new bookings racing keep taken exact', async () => {
    const capacity = 4;
    const { slotId, bookings } = await fullSlot(capacity);
    const line = [];
    for (let i = 0; i < 6; i++) line.push(await joined(slotId, 1 + (i % 2)));
    const strangers = await people(8);
    await Promise.all([
      ...bookings.map((id) => cancel(id)),
      ...strangers.map((t) => book(db(), resident, bookingOf(slotId, [t]))),
      expireOffers(db(), mailer, new Date(Date.now() + 48 * 3600_000)),
    ]);
    await Promise.all(line.map((e) => acceptOffer(db(), resident, mine(e), mailer)));
    const places = await slotPlaces(db(), CITY, slotId);
    const booked = await bookedPlaces(db(), CITY, slotId);
    const held = await heldPlaces(db(), CITY, slotId);
    expect(places.taken).toBe(booked + held);
    expect(places.taken).toBeLessThanOrEqual(capacity);
  });
});

describe('hold time', () => {
  it("is the rule's hours, set on the staff's rules page", async () => {
    const staff = await reservationsClerk();
    const rule = RuleSchema.parse({
      kind: 'card_pickup',
      deadlineWorkingDays: '1',
      deadlineTime: '17:00',
      maxPeople: '4',
      horizonDays: '60',
      waitlistHoldHours: '2',
    });
    await saveRules(db(), staff, rule);
    const { slotId, bookings } = await fullSlot(1);
    await joined(slotId);
    const before = Date.now();
    await cancel(bookings[0]!);
    const [offer] = await waitlistOf(db(), CITY, slotId);
    const held = offer!.offerExpiresAt!.getTime() - before;
    expect(held).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(held).toBeLessThanOrEqual(2 * 3600_000 + 60_000);
  });
});
