import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { loaderArgs, routeContext, settle, staffWithSession } from '../../test/support/routes.ts';
import { insertTargets } from '../../test/support/targets.ts';
import {
  bookingSessionsOf,
  cardNumber,
  portalResident,
  residentCookie,
  setTargetCard,
} from '../../test/support/portal-booking.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { credentialsForLetters } from '../targets/target-credentials.service.server.ts';
import { BOOKING_COOKIE } from '../reservations/booking-session.server.ts';
import { loader } from './$lang.reservations.portal.tsx';

/**
 * The portal's way into the booking site (decision 0055), its loader called with a real
 * database: who is sent to sign in, who goes on to book, and who gets a page saying why not.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142113';
const clerk = { actorType: 'staff' as const, actorId: null, onBehalfOfResidentId: null, ip: null };

const call = (lang: 'ja' | 'en', cookie?: string) =>
  settle(() =>
    loader(
      loaderArgs(routeContext(db()), {
        path: `/${lang}/reservations/portal`,
        params: { lang },
        cookie,
      }),
    ),
  );

async function residentOfTarget(state: 'letter_printed' | 'booked') {
  const [targetId] = await insertTargets(db(), { city: CITY, count: 1, state });
  await credentialsForLetters(db(), testSecrets(), clerk, CITY, [targetId!]);
  const card = cardNumber();
  await setTargetCard(db(), CITY, targetId!, card);
  const residentId = await portalResident(db(), CITY, card);
  return { targetId: targetId!, cookie: await residentCookie(db(), residentId) };
}

describe('the portal booking entry', () => {
  it('sends a visitor without a session to sign in, and back here afterwards', async () => {
    const response = await call('en');
    expect(response).toBeInstanceOf(Response);
    const location = (response as Response).headers.get('location') ?? '';
    expect((response as Response).status).toBe(302);
    expect(new URL(location, 'http://x').pathname).toBe('/en/sign-in');
    expect(new URL(location, 'http://x').searchParams.get('redirectTo')).toBe(
      '/en/reservations/portal',
    );
  });

  it('sends staff to the resident sign-in: a staff session books nothing here', async () => {
    const staff = await staffWithSession(db(), []);
    const response = await call('ja', staff.cookie);
    expect(response instanceof Response && response.headers.get('location')).toMatch(
      /^\/ja\/sign-in\?/,
    );
  });

  it('opens a booking session for the matched target and goes on to the booking flow', async () => {
    const { targetId, cookie } = await residentOfTarget('letter_printed');
    const response = (await call('ja', cookie)) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/ja/reservations/book');
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${BOOKING_COOKIE}=[^;]+;`));
    expect(await bookingSessionsOf(db(), CITY, targetId)).toMatchObject([{ via: 'portal' }]);
  });

  it('shows a resident who holds a booking their booking', async () => {
    const { cookie } = await residentOfTarget('booked');
    const response = (await call('en', cookie)) as Response;
    expect(response.headers.get('location')).toBe('/en/reservations');
  });

  it('answers a resident who is no target with a page that says so, not an error', async () => {
    const cookie = await residentCookie(db(), await portalResident(db(), CITY, null));
    expect(await call('en', cookie)).toEqual({ reason: 'not_target' });
  });
});
