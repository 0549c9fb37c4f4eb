import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PersonName } from '../../ui/layout.tsx';

/** Signed in to the booking site: who, with which reservation ID, and signing out. */
export function SignedIn({ name, reservationId }: { name: string; reservationId: string }) {
  const { t } = useTranslation('reservations');
  return (
    <div className="page page--narrow">
      <h1>{t('title')}</h1>
      <section aria-labelledby="booking-who">
        <h2 id="booking-who">{t('signedIn.heading')}</h2>
        <dl className="meta-list">
          <div>
            <dt>{t('signedIn.name')}</dt>
            <dd>
              <PersonName name={name} />
            </dd>
          </div>
          <div>
            <dt>{t('signedIn.reservationId')}</dt>
            <dd translate="no" data-reservation-id>
              {reservationId}
            </dd>
          </div>
        </dl>
      </section>
      <p>{t('signedIn.bookingSoon')}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="sign-out" />
        <button type="submit" className="button button--secondary">
          {t('signedIn.signOut')}
        </button>
      </Form>
    </div>
  );
}
