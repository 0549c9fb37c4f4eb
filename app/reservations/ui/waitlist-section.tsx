import { Form } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';
import type { waitlistView } from '../waitlist-view.server.ts';

type View = Awaited<ReturnType<typeof waitlistView>>;

/**
 * The signed-in resident's waitlist (decision 0054): each time they wait for, with their
 * place in line and "leave", or an offer with the time it is held until, Confirm and Decline.
 * Plain forms: everything works without JavaScript.
 */
export function WaitlistSection({ waitlist }: { waitlist: View }) {
  const { t } = useTranslation('waitlist');
  if (!waitlist.entries.length && !waitlist.notice) return null;
  const answer = (entry: string, intent: string, label: string, primary = false) => (
    <Form method="post" action={waitlist.action}>
      <input type="hidden" name="entry" value={entry} />
      <input type="hidden" name="intent" value={intent} />
      <button
        type="submit"
        className={`button ${primary ? 'button--primary' : 'button--secondary'}`}
      >
        {label}
      </button>
    </Form>
  );
  return (
    <section aria-labelledby="booking-waitlist">
      <h2 id="booking-waitlist">{t('heading')}</h2>
      {waitlist.notice ? (
        <Notice
          tone={
            ['expired', 'notFound', 'refused'].includes(waitlist.notice) ? 'warning' : 'success'
          }
          focusKey={waitlist.notice}
        >
          {t(`notice.${waitlist.notice}`)}
        </Notice>
      ) : null}
      {waitlist.entries.map((e) => (
        <article key={e.id} aria-labelledby={`waitlist-${e.id}`} className="waitlist-entry">
          <h3 id={`waitlist-${e.id}`}>
            {e.offered && e.until
              ? t('offer.heading', { until: e.until })
              : t('what', { facility: e.facility, date: e.date, time: e.time })}
          </h3>
          <dl className="meta-list">
            <div>
              <dt>{t('facts.when')}</dt>
              <dd>
                {e.date} {e.time}
              </dd>
            </div>
            <div>
              <dt>{t('facts.where')}</dt>
              <dd>{e.facility}</dd>
            </div>
            <div>
              <dt>{t('facts.people')}</dt>
              <dd>{t('places', { count: e.places })}</dd>
            </div>
            {e.offered ? null : (
              <div>
                <dt>{t('facts.state')}</dt>
                <dd>{t('position', { position: e.position })}</dd>
              </div>
            )}
          </dl>
          {e.offered ? (
            <>
              <p>{t('offer.lead')}</p>
              <div className="button-row">
                {answer(e.id, 'accept', t('offer.confirm'), true)}
                {answer(e.id, 'decline', t('offer.decline'))}
              </div>
            </>
          ) : (
            <div className="button-row">{answer(e.id, 'leave', t('leave'))}</div>
          )}
        </article>
      ))}
    </section>
  );
}

/** A slot's line on the staff's day list (nothing when nobody waits). */
export function WaitlistCount({ entries, offered }: { entries: number; offered: number }) {
  const { t } = useTranslation('waitlist');
  if (entries + offered === 0) return null;
  return (
    <span className="day-list__places"> {t('staff.count', { waiting: entries, offered })}</span>
  );
}
