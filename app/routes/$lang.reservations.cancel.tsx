import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { formatDateBoth } from '../i18n/dates.ts';
import { flowRequest } from '../reservations/booking-flow.server.ts';
import { heldBooking } from '../reservations/booking-flow.service.server.ts';
import { timeRange } from '../reservations/booking-flow-ui.tsx';
import { cancelBooking } from '../reservations/booking.service.server.ts';
import { bookingMailerOf } from '../reservations/booking-mail.server.ts';

export const handle: RouteHandle = { title: 'bookingFlow:cancel.title', i18n: ['bookingFlow'] };
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/** Cancelling the resident's booking (decision 0052): a confirmation step, until the deadline. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { lang, session, code } = await flowRequest(request, params, context);
  const held = await heldBooking(context.db, code, session.targetId);
  if (!held || !held.open) throw redirect(`/${lang}/reservations`);
  return {
    lang,
    facility: lang === 'en' ? held.nameEn : held.nameJa,
    date: formatDateBoth(held.startsAt, lang),
    time: timeRange(held.startsAt, held.endsAt, lang),
    people: held.reservationIds.length,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { lang, session, code, actor } = await flowRequest(request, params, context);
  const held = await heldBooking(context.db, code, session.targetId);
  if (!held) return redirect(`/${lang}/reservations`);
  // The mailer: the cancellation email, and the freed places offered to the waitlist at once.
  const outcome = await cancelBooking(
    context.db,
    actor,
    code,
    held.id,
    { staffId: null },
    new Date(),
    bookingMailerOf(context),
  );
  return redirect(
    outcome.outcome === 'cancelled' ? `/${lang}/reservations?cancelled=1` : `/${lang}/reservations`,
  );
}

export default function CancelBooking() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation('bookingFlow');
  return (
    <div className="page page--narrow">
      <h1>{t('cancel.title')}</h1>
      <p>
        {t('cancel.lead', {
          facility: data.facility,
          date: data.date,
          time: data.time,
          count: data.people,
        })}
      </p>
      <Form method="post">
        <div className="button-row">
          <button type="submit" className="button button--danger">
            {t('cancel.confirm')}
          </button>
          <Link to={`/${data.lang}/reservations`}>{t('cancel.keep')}</Link>
        </div>
      </Form>
    </div>
  );
}
