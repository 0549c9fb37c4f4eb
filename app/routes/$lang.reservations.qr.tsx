import { data, redirect, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { secureCookies } from '../identity/identity.service.server.ts';
import { bookingCookie } from '../reservations/booking-session.server.ts';
import { signInWithQr } from '../reservations/booking-sign-in.service.server.ts';
import { BOOKING_SIGN_IN_PATH } from '../reservations/booking.ts';

export const handle: RouteHandle = { title: 'reservations:qr.title', i18n: ['reservations'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/**
 * The QR code on a reservation letter opens this address: a genuine, unexpired code of the
 * current password signs in to the booking site; anything else gets a page that says so and
 * points to the sign-in form (decision 0045).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const result = await signInWithQr(context.db, context.secrets, {
    token,
    ip: context.clientIp,
  });
  if (result.outcome === 'signed_in')
    throw redirect(`/${locale}/reservations`, {
      headers: { 'Set-Cookie': bookingCookie(result.token, secureCookies(context)) },
    });
  if (result.outcome === 'locked')
    return data({ reason: 'locked' as const, time: formatDateTime(result.until, locale) }, 429);
  return data({ reason: 'refused' as const, time: '' }, 400);
}

export default function ReservationQr() {
  const { t } = useTranslation('reservations');
  const { lang } = useParams();
  const { reason, time } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t('qr.title')}</h1>
      <div className="notice notice--warning" role="alert">
        <p>{t(`qr.${reason}`, { time })}</p>
      </div>
      <p>{t('qr.instead')}</p>
      <p>
        <Link to={`/${lang}${BOOKING_SIGN_IN_PATH}`}>{t('qr.toSignIn')}</Link>
      </p>
    </div>
  );
}
