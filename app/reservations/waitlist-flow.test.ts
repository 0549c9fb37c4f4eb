/**
 * The waitlist in the resident's pages (decision 0054): a full time offers "Join the
 * waitlist", the same steps lead to a check page that says it is not a booking, confirm joins
 * once for a double submit, the booking site shows the place in line, then the offer with
 * Confirm and Decline; confirming books, a late confirm says the offer expired.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { useQueues } from '../../test/support/mail.ts';
import { insertTargets } from '../../test/support/targets.ts';
import { actionArgs, loaderArgs, routeContext, settle } from '../../test/support/routes.ts';
import {
  bookedPlaces,
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { waitlistOf } from '../../test/support/waitlist.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { credentialsForLetters } from '../targets/target-credentials.service.server.ts';
import { signInWithPassword } from './booking-sign-in.service.server.ts';
import { BOOKING_COOKIE } from './booking-session.server.ts';
import { stepHref } from './booking-flow.ts';
import { book, cancelBooking } from './booking.service.server.ts';
import { expireOffers } from './waitlist.service.server.ts';
import { loader as timeLoader } from '../routes/$lang.reservations.book.time.tsx';
import {
  action as checkAction,
  loader as checkLoader,
} from '../routes/$lang.reservations.book.check.tsx';
import { loader as siteLoader } from '../routes/$lang.reservations._index/route.tsx';
import { action as waitlistAction } from '../routes/$lang.reservations.waitlist.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const secrets = testSecrets();
const clerk = { actorType: 'staff' as const, actorId: null, onBehalfOfResidentId: null, ip: null };
let serial = 0;
const newCity = () => `7${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
const params = { lang: 'en' };

async function letters(city: string, count: number) {
  const ids = await insertTargets(db(), { city, count, state: 'letter_printed' });
  return credentialsForLetters(db(), secrets, clerk, city, ids);
}

async function cookieOf(letter: { reservationId: string; password: string }) {
  const signIn = await signInWithPassword(db(), { ...letter, ip: `203.0.113.${++serial}` });
  if (signIn.outcome !== 'signed_in') throw new Error(signIn.outcome);
  return `${BOOKING_COOKIE}=${signIn.token}`;
}

/** A full slot of one place, booked by a neighbour; the signed-in resident who wants it. */
async function fullSlotScene() {
  const city = newCity();
  const [self, neighbour] = await letters(city, 2);
  const facility = await insertFacility(db(), city);
  const startsAt = futureWorkingMorning(10);
  const slot = await insertSlot(db(), city, facility, { startsAt, capacity: 1 });
  const booked = await book(db(), clerk, {
    municipalityCode: city,
    kind: 'card_pickup',
    slotId: slot,
    members: [{ targetId: neighbour!.targetId, verifiedBy: 'session' }],
    email: 'neighbour@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'letter',
  });
  if (booked.outcome !== 'booked') throw new Error(booked.outcome);
  const context = routeContext(db(), queues.boss);
  const cookie = await cookieOf(self!);
  const state = {
    kind: 'card_pickup' as const,
    facility,
    day: tokyoDate(startsAt),
    needs: [],
    answers: {},
  };
  return { city, slot, facility, context, cookie, state, bookingId: booked.bookingId, self };
}

type Scene = Awaited<ReturnType<typeof fullSlotScene>>;

async function joinThroughPages(scene: Scene, key = randomUUID()) {
  const { context, cookie, state, slot } = scene;
  const joinState = { ...state, slot, waitlist: '1' as const, email: 'me@example.jp' };
  const form = {
    ...Object.fromEntries(new URL(stepHref('en', 'check', joinState), 'http://x').searchParams),
    idempotencyKey: key,
  };
  return (await settle(() =>
    checkAction(actionArgs(context, { path: '/en/reservations/book/check', params, cookie, form })),
  )) as Response;
}

const site = (scene: Scene, query = '') =>
  siteLoader(
    loaderArgs(scene.context, { path: `/en/reservations${query}`, params, cookie: scene.cookie }),
  );

const answer = (scene: Scene, entry: string, intent: 'accept' | 'decline' | 'leave') =>
  settle(() =>
    waitlistAction(
      actionArgs(scene.context, {
        path: '/en/reservations/waitlist',
        params,
        cookie: scene.cookie,
        form: { entry, intent },
      }),
    ),
  ) as Promise<Response>;

describe('the waitlist in the booking pages', () => {
  it('a full time offers the waitlist; the check page says it is not a booking; confirm joins once', async () => {
    const scene = await fullSlotScene();
    const { context, cookie, state, slot } = scene;
    const time = await timeLoader(
      loaderArgs(context, { path: stepHref('en', 'time', state), params, cookie }),
    );
    const full = time.slots.find((s) => s.id === slot)!;
    expect(full.choosable).toBe(false);
    expect(full.join).toContain('/en/reservations/book/people?');
    expect(full.join).toContain('waitlist=1');

    const check = await checkLoader(
      loaderArgs(context, {
        path: stepHref('en', 'check', { ...state, slot, waitlist: '1', email: 'me@example.jp' }),
        params,
        cookie,
      }),
    );
    expect(check.waitlist).toBe(true);

    const key = randomUUID();
    const first = await joinThroughPages(scene, key);
    const again = await joinThroughPages(scene, key);
    expect(first.headers.get('Location')).toBe('/en/reservations?waitlist=joined');
    expect(again.headers.get('Location')).toBe('/en/reservations?waitlist=joined');
    const line = await waitlistOf(db(), scene.city, slot);
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ status: 'waiting', places: 1, locale: 'en' });

    const view = await site(scene, '?waitlist=joined');
    expect(view.waitlist.notice).toBe('joined');
    expect(view.waitlist.entries).toEqual([
      expect.objectContaining({ id: line[0]!.id, offered: false, position: 1, until: null }),
    ]);
  });

  it('the offer shows with its expiry; Confirm books it, the places exact', async () => {
    const scene = await fullSlotScene();
    await joinThroughPages(scene);
    await cancelBooking(db(), clerk, scene.city, scene.bookingId, { staffId: null }, new Date(), {
      boss: queues.boss,
      publicOrigin: 'http://localhost',
    });
    const [entry] = (await site(scene)).waitlist.entries;
    expect(entry).toMatchObject({ offered: true });
    expect(entry!.until).toMatch(/\d/);

    const accepted = await answer(scene, entry!.id, 'accept');
    expect(accepted.headers.get('Location')).toBe('/en/reservations?booked=1');
    const after = await site(scene, '?booked=1');
    expect(after.booking.held).not.toBeNull();
    expect(after.waitlist.entries).toEqual([]);
    expect(await slotPlaces(db(), scene.city, scene.slot)).toEqual({ capacity: 1, taken: 1 });
    expect(await bookedPlaces(db(), scene.city, scene.slot)).toBe(1);
  });

  it('a confirm after expiry says so; a time with room again becomes a booking to check, never booked by "join"', async () => {
    const scene = await fullSlotScene();
    await joinThroughPages(scene);
    const mailer = { boss: queues.boss, publicOrigin: 'http://localhost' };
    await cancelBooking(
      db(),
      clerk,
      scene.city,
      scene.bookingId,
      { staffId: null },
      new Date(),
      mailer,
    );
    const [offer] = await waitlistOf(db(), scene.city, scene.slot);
    await expireOffers(db(), mailer, new Date(offer!.offerExpiresAt!.getTime() + 1));
    const late = await answer(scene, offer!.id, 'accept');
    expect(late.headers.get('Location')).toBe('/en/reservations?waitlist=expired');
    expect((await site(scene, '?waitlist=expired')).waitlist.notice).toBe('expired');

    // Joining again, then leaving the line.
    const rejoin = await joinThroughPages(scene);
    // The place is free again (nobody else waits): the same answers become a booking to check.
    expect(rejoin.headers.get('Location')).toContain('/en/reservations/book/check?');
    expect(rejoin.headers.get('Location')).not.toContain('waitlist=1');
    const other = await answer(scene, randomUUID(), 'leave');
    expect(other.headers.get('Location')).toBe('/en/reservations?waitlist=notFound');
  });
});
