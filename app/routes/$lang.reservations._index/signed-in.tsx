import { Form, Link } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';
import { PersonName } from '../../ui/layout.tsx';
import type { bookingView } from '../../reservations/booking-flow.service.server.ts';
import type { waitlistView } from '../../reservations/waitlist-view.server.ts';
import { WaitlistSection } from '../../reservations/ui/waitlist-section.tsx';

type View = Awaited<ReturnType<typeof bookingView>>;
type WaitlistView = Awaited<ReturnType<typeof waitlistView>>;

/** Signed in to the booking site: who, their booking (or a start), and signing out. */
export function SignedIn({
  name,
  reservationId,
  booking,
  waitlist,
}: {
  name: string;
  reservationId: string;
  booking: View;
  waitlist: WaitlistView;
}) {
  const { t } = useTranslation('reservations');
  const { t: tf } = useTranslation('bookingFlow');
  const held = booking.held;
  return (
    <div className="page page--narrow">
      <h1>{t('title')}</h1>
      {booking.notice ? (
        <Notice tone="success" focusKey={booking.notice}>
          {tf(`held.notice.${booking.notice}`)}
        </Notice>
      ) : null}
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
      <section aria-labelledby="booking-held">
        <h2 id="booking-held">{tf('held.heading')}</h2>
        {held ? (
          <>
            <dl className="meta-list">
              <div>
                <dt>{tf('check.facility')}</dt>
                <dd>
                  {held.facility}
                  <br />
                  {held.address}
                </dd>
              </div>
              <div>
                <dt>{tf('check.date')}</dt>
                <dd>{held.date}</dd>
              </div>
              <div>
                <dt>{tf('check.time')}</dt>
                <dd>{held.time}</dd>
              </div>
              <div>
                <dt>{tf('check.people', { count: held.people.length })}</dt>
                <dd>
                  <ul>
                    {held.people.map((p) => (
                      <li key={p} translate="no" data-reservation-id>
                        {p}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
              <div>
                <dt>{tf('details.needs')}</dt>
                <dd>
                  {held.needs.length
                    ? held.needs.map((n) => tf(`needs.${n}`)).join(tf('check.listSeparator'))
                    : tf('check.none')}
                </dd>
              </div>
            </dl>
            {held.open ? (
              <>
                <p>{tf('held.until', { time: held.deadline })}</p>
                <div className="button-row">
                  <Link to={held.change} className="button button--secondary">
                    {tf('held.change')}
                  </Link>
                  <Link to={held.cancel} className="button button--secondary">
                    {tf('held.cancel')}
                  </Link>
                </div>
              </>
            ) : (
              <p>{tf('held.closed', { phone: held.phone })}</p>
            )}
          </>
        ) : (
          <>
            <p>{tf('held.none')}</p>
            <p>
              <Link to={booking.book!} className="button button--primary">
                {tf('held.book')}
              </Link>
            </p>
          </>
        )}
      </section>
      <WaitlistSection waitlist={waitlist} />
      <Form method="post">
        <input type="hidden" name="intent" value="sign-out" />
        <button type="submit" className="button button--secondary">
          {t('signedIn.signOut')}
        </button>
      </Form>
    </div>
  );
}
