import { redirect, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Fieldset } from '../ui/form.tsx';
import { flowRequest, stepErrors } from '../reservations/booking-flow.server.ts';
import { facilitiesFor } from '../reservations/booking-flow.service.server.ts';
import { heldBooking } from '../reservations/booking-flow.service.server.ts';
import { StateFields, StepIndicator } from '../reservations/booking-flow-ui.tsx';
import { flowPairs } from '../reservations/booking-flow.ts';
import bookingStyles from '../ui/booking.css';

export const handle: RouteHandle = { title: 'bookingFlow:facility.title', i18n: ['bookingFlow'] };
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

/** Step 1 (decision 0052): the kind of appointment and the facility. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { lang, session, state, code } = await flowRequest(request, params, context);
  if (!state.change && (await heldBooking(context.db, code, session.targetId)))
    throw redirect(`/${lang}/reservations`);
  // A renewal target's session books an e-certificate renewal (decision 0055).
  const kind = session.subject === 'renewal' ? 'cert_renewal' : 'card_pickup';
  const facilities = await facilitiesFor(context.db, code, kind);
  return {
    lang,
    kind,
    facilities: facilities.map((f) => ({
      id: f.id,
      name: lang === 'en' ? f.nameEn : f.nameJa,
      address: lang === 'en' ? f.addressEn : f.addressJa,
    })),
    chosen: state.facility ?? (facilities.length === 1 ? facilities[0]!.id : undefined),
    pairs: flowPairs({ ...state, kind, facility: undefined, month: undefined, day: undefined }),
    errors: stepErrors(request),
  };
}

export default function FacilityStep() {
  const { lang, kind, facilities, chosen, pairs, errors } = useLoaderData<typeof loader>();
  const { t } = useTranslation('bookingFlow');
  const error = errors.facility ? t(errors.facility) : undefined;
  return (
    <div className="page page--narrow">
      <StepIndicator step="facility" />
      <h1>{t('facility.title')}</h1>
      {facilities.length === 0 ? (
        <>
          <p>{t('facility.none')}</p>
          <p>
            <Link to={`/${lang}/reservations`}>{t('backToBooking')}</Link>
          </p>
        </>
      ) : (
        <Form method="get" action={`/${lang}/reservations/book/date`} className="form">
          <ErrorSummary
            errors={
              error ? [{ id: 'facility-0', label: t('facility.legend'), message: error }] : []
            }
          />
          <StateFields pairs={pairs} />
          <p>
            {t('facility.kind')}: {t(`kind.${kind}`)}
          </p>
          <Fieldset id="facility" legend={t('facility.legend')} error={error} required>
            {() =>
              facilities.map((f, i) => (
                <div className="checkbox" key={f.id}>
                  <input
                    type="radio"
                    id={`facility-${i}`}
                    name="facility"
                    value={f.id}
                    defaultChecked={f.id === chosen}
                    required
                  />
                  <label htmlFor={`facility-${i}`}>
                    {f.name}
                    <span className="field__hint"> {f.address}</span>
                  </label>
                </div>
              ))
            }
          </Fieldset>
          <div className="button-row">
            <button type="submit" className="button button--primary">
              {t('continue')}
            </button>
            <Link to={`/${lang}/reservations`}>{t('backToBooking')}</Link>
          </div>
        </Form>
      )}
    </div>
  );
}
