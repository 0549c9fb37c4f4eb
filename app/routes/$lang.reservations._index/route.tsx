import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import type { RouteHandle } from '../../ui/title.ts';
import { isLocale } from '../../i18n/locales.ts';
import { secureCookies } from '../../identity/identity.service.server.ts';
import { BOOKING_SIGN_IN_PATH, formatReservationId } from '../../reservations/booking.ts';
import {
  bookingTokenFrom,
  clearBookingCookie,
  readBookingSession,
} from '../../reservations/booking-session.server.ts';
import { signOutOfBooking } from '../../reservations/booking-sign-in.service.server.ts';
import { SignedIn } from './signed-in.tsx';
import { bookingView } from '../../reservations/booking-flow.service.server.ts';
import { waitlistView } from '../../reservations/waitlist-view.server.ts';

export const handle: RouteHandle = {
  title: 'reservations:title',
  i18n: ['reservations', 'bookingFlow', 'waitlist'],
};

// Who is signed in: never cached.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/**
 * The booking site (decision 0045) for a resident signed in with the letter's reservation ID
 * and password (or its QR code, /reservations/qr): who is signed in, their booking or a start,
 * the waiting list, and signing out. A visitor not signed in is sent to the sign-in page
 * (/reservations/sign-in), a route of its own so that neither page ships the other's code
 * (decision 0070, addendum 2).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await readBookingSession(context.db, bookingTokenFrom(request));
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  if (!session) throw redirect(`/${locale}${BOOKING_SIGN_IN_PATH}`);
  const search = new URL(request.url).searchParams;
  return {
    name: session.name,
    reservationId: formatReservationId(session.reservationId),
    booking: await bookingView(context.db, session, locale, search),
    waitlist: await waitlistView(context.db, session, locale, search),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();
  if (form.get('intent') !== 'sign-out') throw new Response('Bad Request', { status: 400 });
  const session = await readBookingSession(context.db, bookingTokenFrom(request));
  if (session) await signOutOfBooking(context.db, session, context.clientIp);
  return redirect(`/${locale}${BOOKING_SIGN_IN_PATH}?signedOut=1`, {
    headers: { 'Set-Cookie': clearBookingCookie(secureCookies(context)) },
  });
}

export default function Reservations() {
  return <SignedIn {...useLoaderData<typeof loader>()} />;
}
