import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { auditEntries, staffWithSession } from '../../test/support/routes.ts';
import { insertTargets, targetState } from '../../test/support/targets.ts';
import { bookedPlaces, slotPlaces } from '../../test/support/reservations.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { book } from './booking.service.server.ts';
import {
  changeSlotPlaces,
  closeSlot,
  facilityWeeks,
  generateWeek,
  publishWeek,
  unpublishWeek,
  weekSlots,
} from './calendar.service.server.ts';
import { addClosedDay, createFacility, setHours, type Staff } from './facility.service.server.ts';
import { parseSpans } from './facility.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142115';
// 2027-02-11 (Thursday) is National Foundation Day; the city closes Tuesday 2027-02-09.
const WEEK = '2027-02-08';
let staff: Staff;
let facilityId = '';

beforeAll(async () => {
  const clerk = await staffWithSession(db(), ['reservations:manage']);
  staff = {
    municipalityCode: CITY,
    actor: { actorType: 'staff', actorId: clerk.accountId, onBehalfOfResidentId: null, ip: null },
  };
  facilityId = await createFacility(db(), staff, {
    nameJa: '南下浦市民センター',
    nameEn: 'Minamishitaura Civic Centre',
    addressJa: '',
    addressEn: '',
    phone: '046-888-0000',
    directionsJa: '',
    directionsEn: '',
    kinds: ['card_pickup'],
    slotMinutes: 60,
    placesPerSlot: 3,
  });
  const weekdays = parseSpans('9:00-12:00, 13:00-15:00')!;
  await setHours(db(), staff, facilityId, {
    w1: weekdays,
    w2: weekdays,
    w3: weekdays,
    w4: weekdays,
    w5: weekdays,
    w6: [],
    w7: [],
  });
  await addClosedDay(db(), staff, { day: '2027-02-09', reasonJa: '臨時休業', reasonEn: 'Closed' });
});

describe('slot generation', () => {
  it('makes each whole slot of every span, skipping the national holiday and the closed day', async () => {
    expect(await generateWeek(db(), staff, facilityId, WEEK)).toEqual({
      outcome: 'generated',
      added: 15,
    });
    const slots = await weekSlots(db(), CITY, facilityId, WEEK);
    const days = [...new Set(slots.map((s) => tokyoDate(s.startsAt)))];
    expect(days).toEqual(['2027-02-08', '2027-02-10', '2027-02-12']);
    expect(slots.every((s) => s.capacity === 3 && s.taken === 0)).toBe(true);
    const hours = slots.filter((s) => tokyoDate(s.startsAt) === '2027-02-08');
    expect(hours.map((s) => s.startsAt.toISOString())).toEqual([
      '2027-02-08T00:00:00.000Z',
      '2027-02-08T01:00:00.000Z',
      '2027-02-08T02:00:00.000Z',
      '2027-02-08T04:00:00.000Z',
      '2027-02-08T05:00:00.000Z',
    ]);
  });

  it('is idempotent: generating again adds nothing', async () => {
    expect(await generateWeek(db(), staff, facilityId, WEEK)).toEqual({
      outcome: 'generated',
      added: 0,
    });
    expect(await weekSlots(db(), CITY, facilityId, WEEK)).toHaveLength(15);
  });
});

describe('publishing', () => {
  const next = '2027-02-15';
  it('generates the missing slots, records the week once, and unpublishes while nobody booked', async () => {
    const first = await publishWeek(db(), staff, facilityId, next);
    expect(first).toEqual({ outcome: 'published', added: 25, already: false });
    expect(await publishWeek(db(), staff, facilityId, next)).toEqual({
      outcome: 'published',
      added: 0,
      already: true,
    });
    const weeks = await facilityWeeks(db(), CITY, facilityId, new Date('2027-02-10T00:00:00Z'), 2);
    expect(weeks).toEqual([
      { weekStart: WEEK, slots: 15, capacity: 45, taken: 0, published: false },
      { weekStart: next, slots: 25, capacity: 75, taken: 0, published: true },
    ]);
    expect(await unpublishWeek(db(), staff, facilityId, next)).toEqual({ outcome: 'unpublished' });
    expect(await unpublishWeek(db(), staff, facilityId, next)).toEqual({
      outcome: 'not_published',
    });
    const audited = await auditEntries(db(), {
      actionPrefix: 'reservations.week_',
      targetId: facilityId,
    });
    expect(audited.map((e) => e.action)).toContain('reservations.week_unpublish');
  });

  it('refuses to unpublish a week that has bookings', async () => {
    await publishWeek(db(), staff, facilityId, next);
    const [slot] = await weekSlots(db(), CITY, facilityId, next);
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const booked = await bookAs(slot!.id, [target!]);
    expect(booked.outcome).toBe('booked');
    expect(await unpublishWeek(db(), staff, facilityId, next)).toEqual({
      outcome: 'has_bookings',
      bookings: 1,
    });
  });
});

function bookAs(slotId: string, targetIds: string[]) {
  return book(db(), staff.actor, {
    municipalityCode: CITY,
    kind: 'card_pickup',
    slotId,
    members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'staff' as const })),
    email: 'hanako@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'staff',
    staffId: staff.actor.actorId,
  });
}

describe('one-off changes', () => {
  it('never sets places below those taken, and says how many are taken', async () => {
    const [, slot] = await weekSlots(db(), CITY, facilityId, '2027-02-15');
    const targets = await insertTargets(db(), { city: CITY, count: 2, state: 'letter_printed' });
    expect((await bookAs(slot!.id, targets)).outcome).toBe('booked');
    expect(await changeSlotPlaces(db(), staff, slot!.id, 1)).toEqual({
      outcome: 'below_taken',
      taken: 2,
    });
    expect(await slotPlaces(db(), CITY, slot!.id)).toEqual({ capacity: 3, taken: 2 });
    expect(await changeSlotPlaces(db(), staff, slot!.id, 6)).toEqual({
      outcome: 'saved',
      capacity: 6,
    });
  });

  it('closing a slot with bookings asks for a message, then cancels them and frees their places', async () => {
    const [, , slot] = await weekSlots(db(), CITY, facilityId, '2027-02-15');
    const targets = await insertTargets(db(), { city: CITY, count: 3, state: 'letter_printed' });
    expect((await bookAs(slot!.id, targets.slice(0, 2))).outcome).toBe('booked');
    expect((await bookAs(slot!.id, targets.slice(2))).outcome).toBe('booked');
    expect(await closeSlot(db(), staff, slot!.id, '  ')).toEqual({
      outcome: 'needs_message',
      bookings: 2,
    });
    expect(await closeSlot(db(), staff, slot!.id, '設備点検のため')).toEqual({
      outcome: 'closed',
      cancelled: 2,
    });
    expect(await slotPlaces(db(), CITY, slot!.id)).toEqual({ capacity: 3, taken: 0 });
    expect(await bookedPlaces(db(), CITY, slot!.id)).toBe(0);
    for (const id of targets) expect(await targetState(db(), id)).toBe('letter_printed');
    expect(await closeSlot(db(), staff, slot!.id, 'x')).toEqual({ outcome: 'already_closed' });
    const cancels = await auditEntries(db(), {
      action: 'reservations.cancel',
      actorId: staff.actor.actorId!,
    });
    expect(cancels.length).toBeGreaterThanOrEqual(2);
  });
});
