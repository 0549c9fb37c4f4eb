import { data, redirect, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { isLocale } from '../i18n/locales.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { secureCookies } from '../identity/identity.service.server.ts';
import { returnPath } from '../platform/links.ts';
import { bookingCookie } from '../reservations/booking-session.server.ts';
import { startPortalBooking } from '../reservations/portal-booking.service.server.ts';
import { BOOKING_SIGN_IN_PATH } from '../reservations/booking.ts';

export const handle: RouteHandle = { title: 'portalBooking:title', i18n: ['portalBooking'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/**
 * The to-do "Book your card pickup" links here (decision 0055). A resident signed in to the
 * portal (with a passkey) whose card matches one pickup target gets a booking session for it
 * and goes on to the booking flow, or to their booking when they hold one already. Signed
 * out: sign in and come back. Anyone else gets a page that says why and what to do instead.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const access = await requireResidentAccess(request, context, 'reservations');
  if (access.viaProxy) return data({ reason: 'proxy' as const }, 403);
  const result = await startPortalBooking(context.db, access.actor, access.residentId);
  if (result.outcome === 'signed_in') {
    const next = result.booked ? `/${locale}/reservations` : `/${locale}/reservations/book`;
    throw redirect(returnPath(next, `/${locale}/reservations`), {
      headers: { 'Set-Cookie': bookingCookie(result.token, secureCookies(context)) },
    });
  }
  return { reason: result.outcome };
}

export default function PortalBooking() {
  const { t } = useTranslation('portalBooking');
  const { lang } = useParams();
  const { reason } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t('title')}</h1>
      <div className="notice notice--warning" role="status">
        <p>{t(`${reason}.lead`)}</p>
      </div>
      <p>{t(`${reason}.body`)}</p>
      <ul>
        <li>
          <Link to={`/${lang}${BOOKING_SIGN_IN_PATH}`}>{t('withLetter')}</Link>
        </li>
        {reason !== 'proxy' && (
          <li>
            <Link to={`/${lang}/todos`}>{t('toTodos')}</Link>
          </li>
        )}
      </ul>
    </div>
  );
}
