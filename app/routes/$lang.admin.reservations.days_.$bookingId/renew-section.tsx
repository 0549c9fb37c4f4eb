import { Form, Link } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';

/**
 * "Mark renewed" for an e-certificate renewal booking (decision 0055 addendum): a link opens a
 * confirm step (`?renew=confirm`, a page of its own, so it works without JavaScript) naming the
 * people; confirmed, every renewal target of the booking is marked renewed (one audit entry
 * each) and the notice after it takes the focus and is announced.
 */
export function RenewSection({
  here,
  confirmHref,
  people,
  confirming,
  done,
}: {
  here: string;
  confirmHref: string;
  people: string[];
  confirming: boolean;
  done: { renewed: number; notActive: number; at: number } | null;
}) {
  const { t } = useTranslation('reservationDays');
  return (
    <section aria-labelledby="renew-title">
      <h2 id="renew-title" tabIndex={-1}>
        {t('renew.heading')}
      </h2>
      {done ? (
        <Notice tone={done.renewed > 0 ? 'success' : 'warning'} focusKey={done.at}>
          {done.renewed > 0 ? t('renew.done', { count: done.renewed }) : null}
          {done.notActive > 0 ? ` ${t('renew.notActive', { count: done.notActive })}` : null}
        </Notice>
      ) : null}
      {confirming ? (
        <Form method="post" action={here} className="form">
          <p>{t('renew.confirmLead', { count: people.length })}</p>
          <ul>
            {people.map((name, i) => (
              <li key={i} lang="ja">
                {name}
              </li>
            ))}
          </ul>
          <input type="hidden" name="intent" value="renew" />
          <div className="button-row">
            <button type="submit" className="button button--primary">
              {t('renew.submit')}
            </button>
            <Link to={here}>{t('renew.back')}</Link>
          </div>
        </Form>
      ) : (
        <>
          <p>{t('renew.lead')}</p>
          <p>
            <Link to={confirmHref}>{t('renew.start')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
