import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';

/**
 * The renewal target's booking password (decision 0055 addendum): a link opens a confirm step
 * (`?reissue=confirm`, a page of its own so it works without JavaScript), which says what a new
 * password ends; confirmed, the notice after it takes the focus and points to the reprint.
 */
export function ReissueSection({
  renewalId,
  confirming,
  done,
}: {
  renewalId: string;
  confirming: boolean;
  done: { reissued: boolean; at: number } | null;
}) {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const here = `/${lang}/admin/renewals/${renewalId}`;
  const print = `/${lang}/admin/renewals/print?id=${renewalId}`;
  return (
    <section aria-labelledby="reissue-title">
      <h2 id="reissue-title" tabIndex={-1}>
        {t('reissue.heading')}
      </h2>
      {done ? (
        <Notice tone={done.reissued ? 'success' : 'warning'} focusKey={done.at}>
          {done.reissued ? (
            <>
              {t('reissue.done')} <a href={print}>{t('reissue.print')}</a>
            </>
          ) : (
            t('reissue.none')
          )}
        </Notice>
      ) : null}
      {confirming ? (
        <Form method="post" action={here} className="form">
          <p>{t('reissue.confirmLead')}</p>
          <input type="hidden" name="intent" value="reissue" />
          <div className="button-row">
            <button type="submit" className="button button--danger">
              {t('reissue.submit')}
            </button>
            <Link to={here}>{t('reissue.back')}</Link>
          </div>
        </Form>
      ) : (
        <>
          <p>{t('reissue.lead')}</p>
          <p>
            <Link to={`${here}?reissue=confirm#reissue-title`}>{t('reissue.start')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
