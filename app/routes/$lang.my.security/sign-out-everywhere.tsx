import { Form, Link, useParams, useSearchParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';

/** Ends every session of the account, this one too, after a confirmation (?confirm=everywhere). */
export function SignOutEverywherePanel() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const confirmEverywhere = search.get('confirm') === 'everywhere';
  return (
    <>
      <h2>{t('security.signOutEverywhere')}</h2>
      <p>{t('security.signOutEverywhereLead')}</p>
      {confirmEverywhere ? (
        <section className="notice notice--warning" aria-labelledby="confirm-everywhere">
          <h3 id="confirm-everywhere">{t('security.signOutEverywhereConfirm')}</h3>
          <Form method="post" className="button-row">
            <input type="hidden" name="intent" value="sign-out-everywhere" />
            <button type="submit" className="button button--danger">
              {t('security.signOutEverywhereButton')}
            </button>
            <Link to={`/${lang}/my/security`}>{t('security.cancel')}</Link>
          </Form>
        </section>
      ) : (
        <p>
          <Link to="?confirm=everywhere" className="button button--danger">
            {t('security.signOutEverywhere')}
          </Link>
        </p>
      )}
    </>
  );
}
