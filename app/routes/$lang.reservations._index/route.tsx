import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { secureCookies } from '../../identity/identity.service.server.ts';
import { BookingSignInSchema } from '../../reservations/booking.schema.server.ts';
import { formatReservationId } from '../../reservations/booking.ts';
import {
  bookingCookie,
  bookingTokenFrom,
  clearBookingCookie,
  readBookingSession,
} from '../../reservations/booking-session.server.ts';
import {
  signInWithPassword,
  signOutOfBooking,
} from '../../reservations/booking-sign-in.service.server.ts';
import { bookingNotice } from '../../reservations/content-page.server.ts';
import { BookingNotice, BookingSiteLinks } from '../../reservations/ui/site-links.tsx';
import { SignInForm } from './sign-in-form.tsx';
import { SignedIn } from './signed-in.tsx';
import { bookingView } from '../../reservations/booking-flow.service.server.ts';
import { waitlistView } from '../../reservations/waitlist-view.server.ts';

export const handle: RouteHandle = {
  title: 'reservations:title',
  i18n: ['reservations', 'bookingContent', 'bookingFlow', 'waitlist'],
};

// Who is signed in, and the sign-in form's answers: never cached.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/**
 * The booking site (decision 0045): its sign-in page until the resident signs in with the
 * letter's reservation ID and password (or its QR code, /reservations/qr), then who is signed
 * in. Booking itself comes with issue 12.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await readBookingSession(context.db, bookingTokenFrom(request));
  const signedOut = new URL(request.url).searchParams.has('signedOut');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const notice = await bookingNotice(context, locale);
  if (!session) return { signedIn: null, signedOut, notice };
  return {
    signedIn: {
      name: session.name,
      reservationId: formatReservationId(session.reservationId),
      booking: await bookingView(context.db, session, locale, new URL(request.url).searchParams),
      waitlist: await waitlistView(context.db, session, locale, new URL(request.url).searchParams),
    },
    signedOut: false,
    notice,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const secure = secureCookies(context);
  const form = await request.formData();

  if (form.get('intent') === 'sign-out') {
    const session = await readBookingSession(context.db, bookingTokenFrom(request));
    if (session) await signOutOfBooking(context.db, session, context.clientIp);
    return redirect(`/${locale}/reservations?signedOut=1`, {
      headers: { 'Set-Cookie': clearBookingCookie(secure) },
    });
  }

  const submission = parseWithZod(form, { schema: BookingSignInSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: ['password'] }), time: '' }, 400);
  const result = await signInWithPassword(context.db, {
    reservationId: submission.value.reservationId,
    password: submission.value.password,
    ip: context.clientIp,
  });
  if (result.outcome === 'signed_in')
    return redirect(`/${locale}/reservations`, {
      headers: { 'Set-Cookie': bookingCookie(result.token, secure) },
    });
  // The password never travels back to the page.
  const reply =
    result.outcome === 'malformed_id'
      ? submission.reply({
          fieldErrors: { reservationId: ['signIn.errors.reservationIdCheck'] },
          hideFields: ['password'],
        })
      : submission.reply({
          formErrors: [`signIn.errors.${result.outcome === 'locked' ? 'locked' : 'invalid'}`],
          hideFields: ['password'],
        });
  const time = result.outcome === 'locked' ? formatDateTime(result.until, locale) : '';
  return data({ result: reply, time }, result.outcome === 'locked' ? 429 : 400);
}

export default function Reservations() {
  const { signedIn, signedOut, notice } = useLoaderData<typeof loader>();
  return signedIn ? (
    <SignedIn {...signedIn} />
  ) : (
    <SignInForm signedOut={signedOut} notice={<BookingNotice notice={notice} />}>
      <BookingSiteLinks />
    </SignInForm>
  );
}
