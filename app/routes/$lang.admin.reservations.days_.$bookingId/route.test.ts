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
import { renewalClerk, renewalWithForm } from '../../../test/support/renewals.ts';
import {
  futureWorkingMorning,
  insertFacility,
  insertSlot,
} from '../../../test/support/reservations.ts';
import { book } from '../../reservations/booking.service.server.ts';
import { action, loader } from './route.tsx';
import {
  action as renewalAction,
  loader as renewalLoader,
} from '../$lang.admin.renewals.$renewalId/route.tsx';

/**
 * The staff booking page of an e-certificate renewal (decision 0055 addendum): "Mark renewed"
 * behind a confirm step for renewal staff, and the renewal page's "Reissue the booking
 * password"; refused (403) without the permission, audited when done.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = routeContext({} as never).env.MADOGUCHI_CITY_CODE;
let both: Awaited<ReturnType<typeof renewalClerk>>;
let reservationsOnly: Awaited<ReturnType<typeof staffWithSession>>;
let facilityId = '';

beforeAll(async () => {
  both = await renewalClerk(db(), ['reservations:manage', 'renewals:manage']);
  reservationsOnly = await staffWithSession(db(), ['reservations:manage']);
  facilityId = await insertFacility(db(), CITY);
});

let hour = 0;
async function renewalBooking() {
  const secrets = routeContext(db()).secrets;
  const people = [
    await renewalWithForm(db(), secrets, both.actor, CITY),
    await renewalWithForm(db(), secrets, both.actor, CITY),
  ];
  const slotId = await insertSlot(db(), CITY, facilityId, {
    startsAt: new Date(futureWorkingMorning(10).getTime() + hour++ * 3600_000),
    capacity: 5,
  });
  const booked = await book(db(), both.actor, {
    municipalityCode: CITY,
    kind: 'cert_renewal',
    slotId,
    members: people.map((p) => ({ targetId: p.id, verifiedBy: 'session' as const })),
    email: 'renew@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'letter',
  });
  if (booked.outcome !== 'booked') throw new Error(booked.outcome);
  return { bookingId: booked.bookingId, people };
}

const get = <T>(
  load: (args: never) => Promise<T>,
  path: string,
  cookie: string,
  params: Record<string, string>,
) =>
  settle(() =>
    load(
      loaderArgs(routeContext(db()), { path, params: { lang: 'ja', ...params }, cookie }) as never,
    ),
  );
const post = <T>(
  act: (args: never) => Promise<T>,
  path: string,
  cookie: string,
  params: Record<string, string>,
  form: Record<string, string>,
) =>
  settle(() =>
    act(
      actionArgs(routeContext(db()), {
        path,
        params: { lang: 'ja', ...params },
        cookie,
        form,
      }) as never,
    ),
  );

describe('a renewal booking on the staff booking page', () => {
  it('offers "Mark renewed" to renewal staff only, behind a confirm step, and marks everyone', async () => {
    const { bookingId, people } = await renewalBooking();
    const path = `/ja/admin/reservations/days/${bookingId}`;
    const params = { bookingId };
    const plain = await get(loader, `${path}?renew=confirm`, reservationsOnly.cookie, params);
    expect(plain).toMatchObject({ renewal: false });
    const page = await get(loader, `${path}?renew=confirm`, both.cookie, params);
    expect(page).toMatchObject({ renewal: true, confirmRenew: true });
    expect(page instanceof Response ? [] : page.members.map((m) => m.reservationId)).toHaveLength(
      2,
    );

    const refused = await post(action, path, reservationsOnly.cookie, params, { intent: 'renew' });
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
    const done = await post(action, path, both.cookie, params, { intent: 'renew' });
    expect(done).toMatchObject({ intent: 'renew', renewed: 2, notActive: 0 });
    const again = await post(action, path, both.cookie, params, { intent: 'renew' });
    expect(again).toMatchObject({ intent: 'renew', renewed: 0, notActive: 2 });

    const audited = await auditEntries(db(), { action: 'renewals.renew', actorId: both.accountId });
    expect(audited.map((e) => e.targetId).sort()).toEqual(people.map((p) => p.id).sort());
    expect(
      audited.every((e) => (e.details as { bookingId?: string }).bookingId === bookingId),
    ).toBe(true);
  });
});

describe('the renewal page’s booking password', () => {
  it('is reissued after a confirm step by renewal staff only, audited', async () => {
    const { people } = await renewalBooking();
    const id = people[0]!.id;
    const path = `/ja/admin/renewals/${id}`;
    const params = { renewalId: id };
    const page = await get(renewalLoader, `${path}?reissue=confirm`, both.cookie, params);
    expect(page).toMatchObject({ credentials: true, confirmReissue: true });

    const refused = await post(renewalAction, path, reservationsOnly.cookie, params, {
      intent: 'reissue',
    });
    expect((refused as Response).status).toBe(403);
    const done = await post(renewalAction, path, both.cookie, params, { intent: 'reissue' });
    expect(done).toMatchObject({ intent: 'reissue', reissued: true });
    const audited = await auditEntries(db(), {
      action: 'renewals.credentials_reissue',
      targetId: id,
    });
    expect(audited).toMatchObject([{ actorId: both.accountId, details: { version: 1 } }]);
  });
});
