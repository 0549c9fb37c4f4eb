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
import { BOOKING_PATH } from '../../reservations/booking.ts';
import {
  bookingCookie,
  bookingTokenFrom,
  readBookingSession,
} from '../../reservations/booking-session.server.ts';
import { signInWithPassword } from '../../reservations/booking-sign-in.service.server.ts';
import { bookingNotice } from '../../reservations/content-page.server.ts';
import { BookingNotice, BookingSiteLinks } from '../../reservations/ui/site-links.tsx';
import { SignInForm } from './sign-in-form.tsx';

export const handle: RouteHandle = {
  title: 'reservations:title',
  i18n: ['reservations', 'bookingContent'],
};

// The sign-in form's answers: never cached.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/**
 * The booking site's sign-in page (decision 0045): the letter's reservation ID and password,
 * under the city's notice. Someone already signed in goes on to the booking site itself.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  if (await readBookingSession(context.db, bookingTokenFrom(request)))
    throw redirect(`/${locale}${BOOKING_PATH}`);
  return {
    signedOut: new URL(request.url).searchParams.has('signedOut'),
    notice: await bookingNotice(context, locale),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const submission = parseWithZod(await request.formData(), { schema: BookingSignInSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: ['password'] }), time: '' }, 400);
  const result = await signInWithPassword(context.db, {
    reservationId: submission.value.reservationId,
    password: submission.value.password,
    ip: context.clientIp,
  });
  if (result.outcome === 'signed_in')
    return redirect(`/${locale}${BOOKING_PATH}`, {
      headers: { 'Set-Cookie': bookingCookie(result.token, secureCookies(context)) },
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

export default function BookingSignIn() {
  const { signedOut, notice } = useLoaderData<typeof loader>();
  return (
    <SignInForm signedOut={signedOut} notice={<BookingNotice notice={notice} />}>
      <BookingSiteLinks />
    </SignInForm>
  );
}
