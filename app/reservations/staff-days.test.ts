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
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { translator } from '../i18n/locales.ts';
import { book, cancelBooking } from './booking.service.server.ts';
import { bookingsCsv } from './staff-days-csv.ts';
import { monthDays, readDay, readMonth, splitReservationIds } from './staff-days.ts';
import {
  bookByPhone,
  bookingDetail,
  dayView,
  exportBookings,
  monthView,
} from './staff-days.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = DEFAULT_CITY;
const resident = {
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: null,
};
let facilityId = '';
let clerk: { municipalityCode: string; actor: typeof resident | ReturnType<typeof staffActor> };
let accountId = '';
const morning = futureWorkingMorning(9);
const day = tokyoDate(morning);
let first = '';
let second = '';

const staffActor = (id: string) => ({
  actorType: 'staff' as const,
  actorId: id,
  onBehalfOfResidentId: null,
  ip: null,
});

function request(slotId: string, targetIds: string[]) {
  return {
    municipalityCode: CITY,
    kind: 'card_pickup' as const,
    slotId,
    members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'session' as const })),
    email: 'hanako@example.jp',
    phone: '=cmd|calc',
    locale: 'ja' as const,
    needs: ['wheelchair' as const],
    answers: { q1: true },
    idempotencyKey: randomUUID(),
    via: 'letter' as const,
  };
}

beforeAll(async () => {
  facilityId = await insertFacility(db(), CITY);
  first = await insertSlot(db(), CITY, facilityId, { startsAt: morning, capacity: 5 });
  second = await insertSlot(db(), CITY, facilityId, {
    startsAt: new Date(morning.getTime() + 3600_000),
    capacity: 3,
  });
  const staff = await staffWithSession(db(), ['reservations:manage']);
  accountId = staff.accountId;
  clerk = { municipalityCode: CITY, actor: staffActor(accountId) };
});

describe('the day and month views', () => {
  it('show active bookings with their people and count places, never a cancelled booking', async () => {
    const [a, b, c, d] = await insertTargets(db(), {
      city: CITY,
      count: 4,
      state: 'letter_printed',
    });
    const group = await book(db(), resident, request(first, [a!, b!]));
    const single = await book(db(), resident, request(first, [c!]));
    const other = await book(db(), resident, request(second, [d!]));
    if (group.outcome !== 'booked' || single.outcome !== 'booked' || other.outcome !== 'booked')
      throw new Error('not booked');
    const cancelled = await cancelBooking(db(), clerk.actor, CITY, single.bookingId, {
      staffId: accountId,
      reason: 'caller asked',
    });
    expect(cancelled.outcome).toBe('cancelled');

    const slots = await dayView(db(), CITY, facilityId, day);
    expect(slots.map((s) => [s.capacity, s.taken, s.bookings.length])).toEqual([
      [5, 2, 1],
      [3, 1, 1],
    ]);
    const [booking] = slots[0]!.bookings;
    expect(booking).toMatchObject({ places: 2, needs: ['wheelchair'], answers: { q1: true } });
    expect(booking!.members.map((m) => m.targetId).sort()).toEqual([a, b].sort());

    const month = await monthView(db(), CITY, facilityId, day.slice(0, 7));
    const counted = month.find((m) => m.day === day);
    expect(counted).toEqual({ day, slots: 2, capacity: 8, taken: 3, bookings: 2, bookedPlaces: 3 });
    expect(month.filter((m) => m.day !== day).every((m) => m.bookings === 0)).toBe(true);
    expect(month).toHaveLength(
      new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7), 0)).getUTCDate(),
    );
    for (const slot of [first, second])
      expect((await slotPlaces(db(), CITY, slot)).taken).toBe(await bookedPlaces(db(), CITY, slot));
  });

  it('exports the bookings of a period as formula-safe CSV with a BOM, audited', async () => {
    const rows = await exportBookings(db(), clerk.actor, CITY, facilityId, { from: day, to: day });
    expect(rows).toHaveLength(3);
    const text = bookingsCsv(rows, translator('ja'));
    expect(text.startsWith('\uFEFF日付,時刻,予約ID')).toBe(true);
    expect(text).toContain(`'=cmd|calc`);
    expect(text).toContain('車いすスペース');
    const [entry] = await auditEntries(db(), { action: 'reservations.export', actorId: accountId });
    expect(entry).toMatchObject({ outcome: 'success', targetId: facilityId });
    expect(entry!.details).toMatchObject({ from: day, to: day, rows: 3 });
  });
});

describe('a clerk booking by phone', () => {
  it('books by reservation ID through book() as staff, audited, and offers other slots to move to', async () => {
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const reservationId = await giveCredentials(
      db(),
      routeContext(db()).secrets,
      accountId,
      target!,
    );
    const typed = `${reservationId.slice(0, 3)}-${reservationId.slice(3, 6)}-${reservationId.slice(6)}`;
    const outcome = await bookByPhone(db(), clerk, {
      kind: 'card_pickup',
      slotId: second,
      reservationIds: [typed],
      email: 'taro@example.jp',
      phone: '046-882-1111',
      locale: 'ja',
      needs: ['sign_language'],
      idempotencyKey: randomUUID(),
    });
    expect(outcome).toMatchObject({ outcome: 'booked', replayed: false });
    if (outcome.outcome !== 'booked') return;
    expect(await targetState(db(), target!)).toBe('booked');
    const [entry] = await auditEntries(db(), {
      action: 'reservations.book',
      targetId: outcome.bookingId,
    });
    expect(entry).toMatchObject({ actorId: accountId, outcome: 'success' });
    expect(entry!.details).toMatchObject({ via: 'staff', places: 1 });

    const detail = await bookingDetail(db(), CITY, outcome.bookingId);
    expect(detail?.members.map((m) => m.id)).toEqual([target]);
    expect(detail?.candidates.map((s) => s.id)).toEqual([first]);
  });

  it('refuses an unknown reservation ID before booking anything', async () => {
    const outcome = await bookByPhone(db(), clerk, {
      kind: 'card_pickup',
      slotId: second,
      reservationIds: ['123-456-7897'],
      email: 'taro@example.jp',
      phone: '046-882-1111',
      locale: 'ja',
      needs: [],
      idempotencyKey: randomUUID(),
    });
    expect(outcome).toEqual({
      outcome: 'unknown_reservation_id',
      reservationIds: ['123-456-7897'],
    });
  });
});

describe('reading a day, a month and typed reservation IDs', () => {
  it('takes real dates and months only, and IDs one per line or comma', () => {
    expect(readDay('2027-02-29')).toBeNull();
    expect(readDay('2028-02-29')).toBe('2028-02-29');
    expect(readDay('<script>')).toBeNull();
    expect(readMonth('2027-13')).toBeNull();
    expect(readMonth('2027-02')).toBe('2027-02');
    expect(monthDays('2028-02')).toHaveLength(29);
    expect(monthDays('2027-12').at(-1)).toBe('2027-12-31');
    expect(splitReservationIds(' 123-456-7897\r\n\n１２３ ４５６ ７８９７、987,')).toEqual([
      '123-456-7897',
      '１２３ ４５６ ７８９７',
      '987',
    ]);
  });
});
