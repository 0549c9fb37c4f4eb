import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect, type Connection } from '../../db/connection.ts';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, staffWithSession } from '../../test/support/routes.ts';
import { sealAudit, verifyAuditChain } from '../audit/audit.service.server.ts';
import { insertTargets, targetState } from '../../test/support/targets.ts';
import {
  activeMembersOf,
  bookedPlaces,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import {
  book,
  cancelBooking,
  changeBooking,
  type BookingRequest,
} from './booking.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142109';
const resident = {
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: '192.0.2.7',
};
let facilityId = '';

beforeAll(async () => {
  facilityId = await insertFacility(db(), CITY);
});

async function readyTargets(count: number) {
  return insertTargets(db(), { city: CITY, count, state: 'letter_printed' });
}

function request(slotId: string, targetIds: string[], extra: Partial<BookingRequest> = {}) {
  return {
    municipalityCode: CITY,
    kind: 'card_pickup' as const,
    slotId,
    members: targetIds.map((targetId, i) => ({
      targetId,
      verifiedBy: i === 0 ? ('session' as const) : ('password' as const),
    })),
    email: 'hanako@example.jp',
    locale: 'ja' as const,
    idempotencyKey: randomUUID(),
    via: 'letter' as const,
    ...extra,
  } satisfies BookingRequest;
}

let hour = 0;
/** Each test its own slot: a later hour of a working day a week or more ahead. */
async function freshSlot(capacity: number, options: { published?: boolean; days?: number } = {}) {
  const base = futureWorkingMorning(options.days ?? 8);
  const n = hour++;
  const startsAt = new Date(
    base.getTime() + (n % 8) * 3600_000 + Math.floor(n / 8) * 7 * 86_400_000,
  );
  return insertSlot(db(), CITY, facilityId, { startsAt, capacity, published: options.published });
}

describe('booking', () => {
  it('takes one place per person, records every reservation ID and moves each target to booked', async () => {
    const slotId = await freshSlot(5);
    const targets = await readyTargets(3);
    const outcome = await book(db(), resident, request(slotId, targets));
    expect(outcome).toMatchObject({ outcome: 'booked', replayed: false });
    if (outcome.outcome !== 'booked') return;
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 5, taken: 3 });
    expect(await activeMembersOf(db(), CITY, outcome.bookingId)).toEqual([...targets].sort());
    for (const id of targets) expect(await targetState(db(), id)).toBe('booked');
    const [entry] = await auditEntries(db(), {
      action: 'reservations.book',
      targetId: outcome.bookingId,
    });
    expect(entry?.details).toMatchObject({ places: 3, slotId });
  });

  it('writes its audit entry in the booking statement, as recordAudit would, and the chain holds (decision 0071)', async () => {
    const slotId = await freshSlot(5);
    const targets = await readyTargets(2);
    const outcome = await book(db(), resident, request(slotId, targets));
    if (outcome.outcome !== 'booked') throw new Error(outcome.outcome);
    const refused = await book(db(), resident, request(slotId, [targets[0]!]));
    expect(refused).toMatchObject({ outcome: 'member_already_booked' });
    const rows = await db()
      .selectFrom('auditLog')
      .select(['actorType', 'actorId', 'ip', 'action', 'targetType', 'outcome', 'details'])
      .where('action', '=', 'reservations.book')
      .where(sql<boolean>`details ->> 'slotId' = ${slotId}`)
      .execute();
    expect(rows).toEqual([
      {
        actorType: 'resident',
        actorId: null,
        ip: '192.0.2.7',
        action: 'reservations.book',
        targetType: 'booking',
        outcome: 'success',
        details: { slotId, places: 2, via: 'letter', targets },
      },
    ]);
    await sealAudit(db());
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    // An actor recordAudit would refuse is refused before anything is written.
    const [other] = await readyTargets(1);
    await expect(
      book(db(), { ...resident, ip: 'not an address' }, request(slotId, [other!])),
    ).rejects.toThrow();
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 5, taken: 2 });
  });

  it('books once when the same form is submitted twice, one after the other or at once', async () => {
    const slotId = await freshSlot(10);
    const [a, b] = await readyTargets(2);
    const once = request(slotId, [a!]);
    const first = await book(db(), resident, once);
    const again = await book(db(), resident, once);
    expect(again).toEqual({
      outcome: 'booked',
      bookingId: (first as { bookingId: string }).bookingId,
      replayed: true,
    });
    const twice = request(slotId, [b!]);
    const raced = await Promise.all([book(db(), resident, twice), book(db(), resident, twice)]);
    const ids = new Set(raced.map((r) => (r as { bookingId: string }).bookingId));
    expect(ids.size).toBe(1);
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 10, taken: 2 });
  });

  it('refuses a group over the maximum, a person already booked and a target without a letter', async () => {
    const slotId = await freshSlot(20);
    const five = await readyTargets(5);
    expect(await book(db(), resident, request(slotId, five))).toEqual({
      outcome: 'too_many',
      max: 4,
    });
    const [first] = await readyTargets(1);
    await book(db(), resident, request(slotId, [first!]));
    const [other] = await readyTargets(1);
    const second = await book(db(), resident, request(slotId, [other!, first!]));
    expect(second).toMatchObject({ outcome: 'member_already_booked', targetIds: [first] });
    const [noLetter] = await insertTargets(db(), { city: CITY, count: 1, state: 'setup_done' });
    expect(await book(db(), resident, request(slotId, [noLetter!]))).toMatchObject({
      outcome: 'member_cannot_book',
    });
    // Refusals took nothing.
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 20, taken: 1 });
    expect(await targetState(db(), other!)).toBe('letter_printed');
  });

  it('hides unpublished weeks and closes booking at the deadline: the previous working day at 17:00', async () => {
    // Another facility, whose weeks are not published.
    const unpublished = await insertFacility(db(), CITY);
    const hidden = await insertSlot(db(), CITY, unpublished, {
      startsAt: new Date('2027-03-02T11:00:00+09:00'),
      capacity: 5,
      published: false,
    });
    const [t] = await readyTargets(1);
    expect(await book(db(), resident, request(hidden, [t!]))).toEqual({
      outcome: 'slot_unavailable',
    });
    // A Tuesday 10:00 slot: booking closes on Monday at 17:00 (no holiday on 2027-03-01).
    const startsAt = new Date('2027-03-02T10:00:00+09:00');
    const slotId = await insertSlot(db(), CITY, facilityId, { startsAt, capacity: 5 });
    const before = new Date('2027-03-01T16:59:00+09:00');
    const after = new Date('2027-03-01T17:01:00+09:00');
    const [late] = await readyTargets(1);
    expect(await book(db(), resident, request(slotId, [late!]), after)).toMatchObject({
      outcome: 'slot_past_deadline',
      deadline: new Date('2027-03-01T17:00:00+09:00'),
    });
    expect(await book(db(), resident, request(slotId, [late!]), before)).toMatchObject({
      outcome: 'booked',
    });
    // A clerk on the phone is bound by the places only: an unpublished week, after the deadline.
    const clerk = await staffWithSession(db(), []);
    const [phoned] = await readyTargets(1);
    const staffBooking = await book(
      db(),
      { ...resident, actorType: 'staff', actorId: clerk.accountId },
      request(hidden, [phoned!], { via: 'staff', staffId: clerk.accountId }),
      after,
    );
    expect(staffBooking).toMatchObject({ outcome: 'booked' });
  });

  it('cancelling frees exactly what was taken and puts the targets back; a change keeps the places until the new ones are taken', async () => {
    const from = await freshSlot(4);
    const to = await freshSlot(2);
    const group = await readyTargets(3);
    const booked = await book(db(), resident, request(from, group));
    if (booked.outcome !== 'booked') throw new Error(booked.outcome);
    // The new slot has 2 places: the change is refused and nothing moves.
    expect(
      await changeBooking(db(), resident, CITY, booked.bookingId, to, { staffId: null }),
    ).toMatchObject({ outcome: 'slot_full', left: 2 });
    expect(await slotPlaces(db(), CITY, from)).toEqual({ capacity: 4, taken: 3 });
    const roomy = await freshSlot(6);
    expect(
      await changeBooking(db(), resident, CITY, booked.bookingId, roomy, { staffId: null }),
    ).toEqual({ outcome: 'changed' });
    expect(await slotPlaces(db(), CITY, from)).toEqual({ capacity: 4, taken: 0 });
    expect(await slotPlaces(db(), CITY, roomy)).toEqual({ capacity: 6, taken: 3 });

    const cancelled = await cancelBooking(db(), resident, CITY, booked.bookingId, {
      staffId: null,
    });
    expect(cancelled).toMatchObject({ outcome: 'cancelled' });
    expect(await slotPlaces(db(), CITY, roomy)).toEqual({ capacity: 6, taken: 0 });
    for (const id of group) expect(await targetState(db(), id)).toBe('letter_printed');
    expect(await cancelBooking(db(), resident, CITY, booked.bookingId, { staffId: null })).toEqual({
      outcome: 'already_cancelled',
    });
    // The same people may book again.
    expect(await book(db(), resident, request(roomy, group))).toMatchObject({ outcome: 'booked' });
  });

  it("writes every group member's history with who moved it and why, booked and cancelled", async () => {
    const slotId = await freshSlot(3);
    const group = await readyTargets(2);
    const clerk = await staffWithSession(db(), ['reservations:manage']);
    const booked = await book(
      db(),
      resident,
      request(slotId, group, { via: 'staff', staffId: clerk.accountId }),
    );
    if (booked.outcome !== 'booked') throw new Error(booked.outcome);
    await cancelBooking(db(), resident, CITY, booked.bookingId, {
      staffId: clerk.accountId,
      reason: 'Called to cancel',
    });
    for (const targetId of group) {
      const moves = await db()
        .selectFrom('pickupTargetMove')
        .select(['fromState', 'toState', 'movedBy', 'reason'])
        .where('targetId', '=', targetId)
        .where('toState', 'in', ['booked', 'letter_printed'])
        .where('fromState', 'in', ['booked', 'letter_printed'])
        .orderBy('id')
        .execute();
      expect(moves).toEqual([
        { fromState: 'letter_printed', toState: 'booked', movedBy: clerk.accountId, reason: null },
        {
          fromState: 'booked',
          toState: 'letter_printed',
          movedBy: clerk.accountId,
          reason: 'Called to cancel',
        },
      ]);
    }
  });

  it('the database refuses a slot taken beyond its capacity, whatever the code does', async () => {
    const slotId = await freshSlot(2);
    await expect(
      db().updateTable('bookingSlot').set({ taken: 3 }).where('id', '=', slotId).execute(),
    ).rejects.toThrow(/booking_slot_taken_within_capacity/);
  });
});

describe('never overbook', () => {
  let pool: Connection;
  beforeAll(() => {
    pool = connect(database.url, { max: 24 });
  });
  afterAll(() => pool.sql.end());

  it('many residents at once, groups of 1–3, for a slot with 5 places: exactly the places there are', async () => {
    for (let round = 0; round < 5; round++) {
      const slotId = await freshSlot(5);
      const attempts = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const size = 1 + Math.floor(Math.random() * 3);
          return { size, targets: await readyTargets(size) };
        }),
      );
      const outcomes = await Promise.all(
        attempts.map(({ targets }) => book(pool.db, resident, request(slotId, targets))),
      );
      const won = outcomes.flatMap((o, i) => (o.outcome === 'booked' ? [attempts[i]!.size] : []));
      const taken = won.reduce((a, b) => a + b, 0);
      const { taken: stored } = await slotPlaces(db(), CITY, slotId);
      expect(stored).toBe(taken);
      expect(await bookedPlaces(db(), CITY, slotId)).toBe(taken);
      expect(taken).toBeLessThanOrEqual(5);
      // Every refusal is "full" and was right: its group did not fit in what was left.
      for (const [i, o] of outcomes.entries())
        if (o.outcome !== 'booked') {
          expect(o.outcome).toBe('slot_full');
          expect(attempts[i]!.size).toBeGreaterThan(5 - taken);
        }
    }
  });
});
