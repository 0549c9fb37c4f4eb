/**
 * Booking from the portal (decision 0055): which resident a pickup target belongs to (card
 * manufacture number, city and date of birth, never a guess), the to-do "Book your card
 * pickup" given once when the letter prints and closed when booked, handed over or cancelled,
 * and the booking session the portal opens (via 'portal').
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import {
  auditEntries,
  loaderArgs,
  routeContext,
  staffWithSession,
} from '../../test/support/routes.ts';
import { insertTargets, targetState } from '../../test/support/targets.ts';
import {
  futureWorkingMorning,
  insertFacility,
  insertSlot,
} from '../../test/support/reservations.ts';
import {
  bookingSessionsOf,
  cardNumber,
  portalResident,
  residentCookie,
  setTargetCard,
  todosOfKind,
} from '../../test/support/portal-booking.ts';
import { printLetterBatch } from '../targets/target-letters.service.server.ts';
import { moveTarget } from '../targets/target-lifecycle.service.server.ts';
import { readBookingSession } from './booking-session.server.ts';
import { setTodoStatus } from '../todos/todo.service.server.ts';
import { loader as todosLoader } from '../routes/$lang.todos/route.tsx';
import { book, cancelBooking } from './booking.service.server.ts';
import {
  matchPickupTarget,
  PICKUP_TODO_KIND,
  startPortalBooking,
  syncPickupTodos,
} from './portal-booking.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '142111';
const system = {
  actorType: 'system' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: null,
};
let clerkId = '';
let facilityId = '';

beforeAll(async () => {
  clerkId = (await staffWithSession(db(), ['targets:manage'])).accountId;
  facilityId = await insertFacility(db(), CITY);
});

const clerk = () => ({
  actorType: 'staff' as const,
  actorId: clerkId,
  onBehalfOfResidentId: null,
  ip: null,
});
const residentActor = (residentId: string) => ({
  actorType: 'resident' as const,
  actorId: null,
  onBehalfOfResidentId: residentId,
  ip: '192.0.2.9',
});

/** A target in `state` whose card is the resident's; both ids. */
async function matched(state: 'setup_done' | 'letter_printed' | 'booked' = 'setup_done') {
  const [targetId] = await insertTargets(db(), { city: CITY, count: 1, state });
  const card = cardNumber();
  await setTargetCard(db(), CITY, targetId!, card);
  const residentId = await portalResident(db(), CITY, card);
  return { targetId: targetId!, residentId, card };
}

const printLetter = (targetId: string) =>
  printLetterBatch(db(), secrets, clerk(), CITY, { by: 'target', targetId });

let hour = 0;
async function freshSlot() {
  const startsAt = new Date(futureWorkingMorning(8).getTime() + (hour++ % 8) * 3600_000);
  return insertSlot(db(), CITY, facilityId, { startsAt, capacity: 50 });
}

describe('which target a portal resident is', () => {
  it('matches the card manufacture number, the city and the date of birth', async () => {
    const { targetId, residentId } = await matched('letter_printed');
    expect(await matchPickupTarget(db(), residentId)).toMatchObject({
      outcome: 'found',
      target: { id: targetId, municipalityCode: CITY, state: 'letter_printed' },
    });
  });

  it('is no target with another date of birth, in another city, or without a card', async () => {
    const { card } = await matched();
    const otherBirth = await portalResident(db(), CITY, card, '1981-01-01');
    const otherCity = await portalResident(db(), '142112', card);
    const noCard = await portalResident(db(), CITY, null);
    for (const residentId of [otherBirth, otherCity, noCard])
      expect(await matchPickupTarget(db(), residentId)).toEqual({ outcome: 'not_target' });
  });

  it('refuses two targets with the same card, and two residents with the same card', async () => {
    const { card, residentId } = await matched();
    const [second] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    await setTargetCard(db(), CITY, second!, card);
    expect(await matchPickupTarget(db(), residentId)).toEqual({ outcome: 'ambiguous' });

    const { targetId, card: other } = await matched('letter_printed');
    const twin = await portalResident(db(), CITY, other);
    expect(await matchPickupTarget(db(), twin)).toEqual({ outcome: 'ambiguous' });
    // And neither of them is given the to-do.
    await syncPickupTodos(db(), CITY, [targetId, second!]);
    expect(await todosOfKind(db(), twin, PICKUP_TODO_KIND)).toEqual([]);
    expect(await todosOfKind(db(), residentId, PICKUP_TODO_KIND)).toEqual([]);
  });

  it('does not count a cancelled target', async () => {
    const { card, residentId, targetId } = await matched('letter_printed');
    const [old] = await insertTargets(db(), { city: CITY, count: 1, state: 'cancelled' });
    await setTargetCard(db(), CITY, old!, card);
    expect(await matchPickupTarget(db(), residentId)).toMatchObject({
      outcome: 'found',
      target: { id: targetId },
    });
  });
});

describe('the to-do "Book your card pickup"', () => {
  it('is given once when the letter prints and is done once booked', async () => {
    const { targetId, residentId } = await matched('setup_done');
    expect(await todosOfKind(db(), residentId, PICKUP_TODO_KIND)).toEqual([]);
    expect(await printLetter(targetId)).toMatchObject({ outcome: 'printed' });
    // Printed again (a lost letter): still one to-do.
    expect(await printLetter(targetId)).toMatchObject({ outcome: 'printed' });
    await syncPickupTodos(db(), CITY, [targetId]);
    const [todo, ...more] = await todosOfKind(db(), residentId, PICKUP_TODO_KIND);
    expect(more).toEqual([]);
    expect(todo).toMatchObject({
      status: 'open',
      titleJa: 'マイナンバーカードの受け取りを予約',
      titleEn: 'Book your card pickup',
      actionUrl: '/reservations/portal',
    });

    const outcome = await book(db(), residentActor(residentId), {
      municipalityCode: CITY,
      kind: 'card_pickup',
      slotId: await freshSlot(),
      members: [{ targetId, verifiedBy: 'session' }],
      email: 'hanako@example.jp',
      locale: 'ja',
      idempotencyKey: randomUUID(),
      via: 'portal',
    });
    expect(outcome).toMatchObject({ outcome: 'booked' });
    expect(await todosOfKind(db(), residentId, PICKUP_TODO_KIND)).toMatchObject([
      { id: todo!.id, status: 'done' },
    ]);

    // A cancelled booking makes the card bookable again: a new to-do, the old one stays done.
    if (outcome.outcome !== 'booked') return;
    await cancelBooking(db(), system, CITY, outcome.bookingId, { staffId: clerkId, reason: 'x' });
    expect(await todosOfKind(db(), residentId, PICKUP_TODO_KIND)).toMatchObject([
      { id: todo!.id, status: 'done' },
      { status: 'open' },
    ]);
  });

  it('is dismissed when the target is cancelled, and never given to a card not ready', async () => {
    const dropped = await matched('letter_printed');
    await syncPickupTodos(db(), CITY, [dropped.targetId]);
    await moveTarget(db(), clerk(), CITY, dropped.targetId, 'cancelled', { reason: '転出' });
    expect(await todosOfKind(db(), dropped.residentId, PICKUP_TODO_KIND)).toMatchObject([
      { status: 'dismissed' },
    ]);
    const early = await matched('setup_done');
    await syncPickupTodos(db(), CITY, [early.targetId]);
    expect(await todosOfKind(db(), early.residentId, PICKUP_TODO_KIND)).toEqual([]);
  });
});

describe('the booking session the portal opens', () => {
  it('signs the matched resident in to the booking site via the portal, recorded', async () => {
    const { targetId, residentId } = await matched('setup_done');
    await printLetter(targetId);
    const result = await startPortalBooking(db(), residentActor(residentId), residentId);
    expect(result).toMatchObject({ outcome: 'signed_in', targetId, booked: false });
    if (result.outcome !== 'signed_in') return;
    const session = await readBookingSession(db(), result.token);
    expect(session).toMatchObject({ via: 'portal', targetId, municipalityCode: CITY });
    expect(await bookingSessionsOf(db(), CITY, targetId)).toMatchObject([{ via: 'portal' }]);
    const [entry] = await auditEntries(db(), { action: 'booking.sign_in', targetId });
    expect(entry).toMatchObject({ outcome: 'success', details: { via: 'portal' } });
  });

  it('refuses a card not ready, a resident who is no target, and an ambiguous match', async () => {
    const notReady = await matched('setup_done');
    expect(
      await startPortalBooking(db(), residentActor(notReady.residentId), notReady.residentId),
    ).toEqual({ outcome: 'cannot_book', state: 'setup_done' });
    expect(await targetState(db(), notReady.targetId)).toBe('setup_done');
    expect(await bookingSessionsOf(db(), CITY, notReady.targetId)).toEqual([]);

    const nobody = await portalResident(db(), CITY, null);
    expect(await startPortalBooking(db(), residentActor(nobody), nobody)).toEqual({
      outcome: 'not_target',
    });

    const { card } = await matched('letter_printed');
    const twin = await portalResident(db(), CITY, card);
    expect(await startPortalBooking(db(), residentActor(twin), twin)).toEqual({
      outcome: 'ambiguous',
    });
  });
});

describe('a resident whose card number is recorded after their letter printed', () => {
  const openTodos = (residentId: string, cookie: string) =>
    todosLoader(
      loaderArgs(routeContext(db()), { path: '/ja/todos', params: { lang: 'ja' }, cookie }),
    ).then(async () => todosOfKind(db(), residentId, PICKUP_TODO_KIND));

  it('gets the to-do when they open their to-dos, once, and not again after closing it', async () => {
    // The letter printed while the register had no card number for them: no to-do then.
    const [targetId] = await insertTargets(db(), { city: CITY, count: 1, state: 'setup_done' });
    const card = cardNumber();
    await setTargetCard(db(), CITY, targetId!, card);
    await printLetter(targetId!);
    expect(await targetState(db(), targetId!)).toBe('letter_printed');
    // Now the register import brings them, card number and all.
    const residentId = await portalResident(db(), CITY, card);
    expect(await todosOfKind(db(), residentId, PICKUP_TODO_KIND)).toEqual([]);
    const cookie = await residentCookie(db(), residentId);

    const first = await openTodos(residentId, cookie);
    expect(first).toMatchObject([{ status: 'open', titleEn: 'Book your card pickup' }]);
    expect(await openTodos(residentId, cookie)).toHaveLength(1);
    // Closed by the resident: not given again while the target stays as it is.
    await setTodoStatus(db(), residentActor(residentId), residentId, first[0]!.id, 'dismissed');
    expect((await openTodos(residentId, cookie)).map((t) => t.status)).toEqual(['dismissed']);
  });

  it('gets nothing when their card matches no bookable target', async () => {
    const { residentId } = await matched('setup_done');
    const cookie = await residentCookie(db(), residentId);
    expect(await openTodos(residentId, cookie)).toEqual([]);
  });
});
