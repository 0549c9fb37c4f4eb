import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntries,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { giveCredentials, insertTargets, targetState } from '../../../test/support/targets.ts';
import {
  bookedPlaces,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
} from '../../../test/support/reservations.ts';
import { tokyoDate } from '../../i18n/dates.ts';
import { useQueues } from '../../../test/support/mail.ts';
import { action, loader } from './route.tsx';
import { loader as targetLoader } from '../$lang.admin.targets.$targetId/route.tsx';
import { loader as monthLoader } from '../$lang.admin.reservations.month/route.tsx';
import { loader as csvLoader } from '../$lang.admin.reservations.days[.]csv.ts';
import {
  action as bookingAction,
  loader as bookingLoader,
} from '../$lang.admin.reservations.days_.$bookingId/route.tsx';

const database = useTestDatabase();
// Bookings by phone queue their confirmation email: the context needs a pg-boss.
const queues = useQueues(database);
const db = () => database.connection.db;
const CITY = routeContext({} as never).env.MADOGUCHI_CITY_CODE;
let clerk: Awaited<ReturnType<typeof staffWithSession>>;
let other: Awaited<ReturnType<typeof staffWithSession>>;
let facilityId = '';
let slotId = '';
const morning = futureWorkingMorning(10);
const day = tokyoDate(morning);
const dayPath = () => `/ja/admin/reservations/days?date=${day}&facility=${facilityId}`;

beforeAll(async () => {
  clerk = await staffWithSession(db(), ['reservations:manage']);
  other = await staffWithSession(db(), ['targets:manage']);
  facilityId = await insertFacility(db(), CITY);
  slotId = await insertSlot(db(), CITY, facilityId, { startsAt: morning, capacity: 2 });
});

const get = <T>(load: (args: never) => Promise<T>, path: string, cookie: string, params = {}) =>
  settle(() =>
    load(
      loaderArgs(routeContext(db()), { path, params: { lang: 'ja', ...params }, cookie }) as never,
    ),
  );

const post = <T>(
  act: (args: never) => Promise<T>,
  path: string,
  form: Record<string, string>,
  params = {},
  cookie = clerk.cookie,
) =>
  settle(() =>
    act(
      actionArgs(routeContext(db(), queues.boss), {
        path,
        params: { lang: 'ja', ...params },
        cookie,
        form,
      }) as never,
    ),
  );

async function reservationIdOf(targetId: string) {
  return giveCredentials(db(), routeContext(db()).secrets, clerk.accountId, targetId, CITY);
}

describe('the staff day list of bookings', () => {
  it('refuses staff without reservations:manage on every page, action and download (403)', async () => {
    const fake = randomUUID();
    const answers = [
      await get(loader, dayPath(), other.cookie),
      await post(action, dayPath(), { intent: 'book' }, {}, other.cookie),
      await get(monthLoader, `/ja/admin/reservations/month?facility=${facilityId}`, other.cookie),
      await get(
        csvLoader,
        `/ja/admin/reservations/days.csv?date=${day}&facility=${facilityId}`,
        other.cookie,
      ),
      await get(bookingLoader, `/ja/admin/reservations/days/${fake}`, other.cookie, {
        bookingId: fake,
      }),
      await post(
        bookingAction,
        `/ja/admin/reservations/days/${fake}`,
        { intent: 'cancel' },
        { bookingId: fake },
        other.cookie,
      ),
    ];
    for (const answer of answers) {
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(403);
    }
  });

  it('books by phone, shows the booking in its slot, exports it and cancels it with a reason', async () => {
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const reservationId = await reservationIdOf(target!);
    const booked = await post(action, dayPath(), {
      intent: 'book',
      slotId,
      kind: 'card_pickup',
      reservationIds: `${reservationId.slice(0, 3)}-${reservationId.slice(3, 6)}-${reservationId.slice(6)}`,
      email: 'taro@example.jp',
      phone: '046-882-1111',
      needs: 'written',
      idempotencyKey: randomUUID(),
    });
    expect(booked).toBeInstanceOf(Response);
    expect((booked as Response).headers.get('Location')).toContain('done=booked');
    expect(await targetState(db(), target!)).toBe('booked');

    const page = await get(loader, dayPath(), clerk.cookie);
    if (page instanceof Response) throw new Error('no page');
    const [slot] = page.slots;
    expect(slot).toMatchObject({ capacity: 2, taken: 1 });
    const [booking] = slot!.bookings;
    expect(booking!.needs).toEqual(['written']);
    expect(booking!.members[0]!.reservationId).toMatch(/^\d{3}-\d{3}-\d{4}$/);

    const csv = await get(
      csvLoader,
      `/ja/admin/reservations/days.csv?date=${day}&facility=${facilityId}`,
      clerk.cookie,
    );
    if (!(csv instanceof Response)) throw new Error('no csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('筆談');
    expect(
      await auditEntries(db(), { action: 'reservations.export', actorId: clerk.accountId }),
    ).toHaveLength(1);

    const path = `/ja/admin/reservations/days/${booking!.id}`;
    const empty = await post(
      bookingAction,
      path,
      { intent: 'cancel', bookingId: booking!.id, reason: ' ' },
      { bookingId: booking!.id },
    );
    expect(empty).toMatchObject({ data: { result: { error: { reason: ['errors.reason'] } } } });
    const cancelled = await post(
      bookingAction,
      path,
      { intent: 'cancel', bookingId: booking!.id, reason: 'The caller will come next month' },
      { bookingId: booking!.id },
    );
    expect((cancelled as Response).headers.get('Location')).toBe(`${dayPath()}&done=cancelled`);
    expect(await bookedPlaces(db(), CITY, slotId)).toBe(0);
    expect(await targetState(db(), target!)).toBe('letter_printed');
    const [entry] = await auditEntries(db(), {
      action: 'reservations.cancel',
      targetId: booking!.id,
    });
    expect(entry).toMatchObject({
      actorId: clerk.accountId,
      details: { reason: 'The caller will come next month' },
    });
  });

  it('answers a group over the slot next to the slot field, and an unknown ID next to the IDs', async () => {
    const targets = await insertTargets(db(), { city: CITY, count: 3, state: 'letter_printed' });
    const ids = await Promise.all(targets.map(reservationIdOf));
    const form = {
      intent: 'book',
      slotId,
      kind: 'card_pickup',
      email: 'taro@example.jp',
      phone: '046-882-1111',
      idempotencyKey: randomUUID(),
    };
    const full = await post(action, dayPath(), { ...form, reservationIds: ids.join('\n') });
    expect(full).toMatchObject({
      init: { status: 409 },
      data: { result: { error: { slotId: ['refusals.slot_full'] } }, detail: { left: 2 } },
    });
    const unknown = await post(action, dayPath(), { ...form, reservationIds: '123-456-7897' });
    expect(unknown).toMatchObject({
      data: { result: { error: { reservationIds: ['refusals.unknown_reservation_id'] } } },
    });
    for (const id of targets) expect(await targetState(db(), id)).toBe('letter_printed');
  });

  it('gives the target page a way back to the day list, never to another site', async () => {
    const handler = await staffWithSession(db(), ['targets:manage']);
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'booked' });
    const open = (back: string) =>
      get(
        targetLoader,
        `/ja/admin/targets/${target}?back=${encodeURIComponent(back)}`,
        handler.cookie,
        { targetId: target! },
      );
    expect(await open(dayPath())).toMatchObject({ back: dayPath() });
    for (const attack of ['//evil.example/x', 'https://evil.example/', '/\\evil.example'])
      expect(await open(attack)).toMatchObject({ back: null });
  });

  it('moves a booking to another slot of the facility, audited', async () => {
    const later = await insertSlot(db(), CITY, facilityId, {
      startsAt: new Date(morning.getTime() + 2 * 3600_000),
      capacity: 2,
    });
    const [target] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    await post(action, dayPath(), {
      intent: 'book',
      slotId,
      kind: 'card_pickup',
      reservationIds: await reservationIdOf(target!),
      email: 'taro@example.jp',
      phone: '046-882-1111',
      idempotencyKey: randomUUID(),
    });
    const page = await get(loader, dayPath(), clerk.cookie);
    if (page instanceof Response) throw new Error('no page');
    const booking = page.slots[0]!.bookings.find((b) => b.members[0]!.targetId === target);
    const path = `/ja/admin/reservations/days/${booking!.id}`;
    const offered = await get(bookingLoader, path, clerk.cookie, { bookingId: booking!.id });
    if (offered instanceof Response) throw new Error('no booking page');
    expect(offered.candidates.map((c) => c.id)).toContain(later);
    const moved = await post(
      bookingAction,
      path,
      { intent: 'move', bookingId: booking!.id, slotId: later },
      { bookingId: booking!.id },
    );
    expect((moved as Response).headers.get('Location')).toBe(`${dayPath()}&done=moved`);
    expect(await bookedPlaces(db(), CITY, later)).toBe(1);
    expect(await bookedPlaces(db(), CITY, slotId)).toBe(0);
    const [entry] = await auditEntries(db(), {
      action: 'reservations.change',
      targetId: booking!.id,
    });
    expect(entry).toMatchObject({ actorId: clerk.accountId, details: { from: slotId, to: later } });
  });
});
