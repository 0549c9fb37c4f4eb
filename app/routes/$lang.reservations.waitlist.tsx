import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import type { AuditActor } from '../audit/audit.ts';
import { isLocale } from '../i18n/locales.ts';
import { bookingMailerOf } from '../reservations/booking-mail.server.ts';
import { bookingTokenFrom, readBookingSession } from '../reservations/booking-session.server.ts';
import { acceptOffer, leaveWaitlist } from '../reservations/waitlist.service.server.ts';
import { BOOKING_SIGN_IN_PATH } from '../reservations/booking.ts';

/** Nothing to show here: the waitlist is on the booking site's page. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/${isLocale(params.lang) ? params.lang : 'ja'}/reservations`);
}

/**
 * The signed-in resident answers their waitlist (decision 0054): accept an offer (a booking),
 * decline it, or leave the line. Back to the booking site with what happened.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = isLocale(params.lang) ? params.lang : 'ja';
  const session = await readBookingSession(context.db, bookingTokenFrom(request));
  if (!session) return redirect(`/${lang}${BOOKING_SIGN_IN_PATH}`);
  const form = await request.formData();
  const entryId = String(form.get('entry') ?? '');
  const back = (notice: string) => redirect(`/${lang}/reservations?waitlist=${notice}`);
  if (!/^[0-9a-f-]{36}$/.test(entryId)) return back('notFound');
  const actor: AuditActor = {
    actorType: 'anonymous',
    actorId: null,
    onBehalfOfResidentId: null,
    ip: context.clientIp,
  };
  const entry = { code: session.municipalityCode, targetId: session.targetId, entryId };
  const mailer = bookingMailerOf(context);
  if (form.get('intent') === 'accept') {
    const outcome = await acceptOffer(context.db, actor, entry, mailer);
    if (outcome.outcome === 'booked') return redirect(`/${lang}/reservations?booked=1`);
    if (outcome.outcome === 'not_found') return back('notFound');
    return back(outcome.outcome === 'offer_expired' ? 'expired' : 'refused');
  }
  const outcome = await leaveWaitlist(context.db, actor, entry, mailer);
  return back(outcome.outcome === 'not_found' ? 'notFound' : outcome.outcome);
}
