import { useEffect, useRef } from 'react';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useParams,
  useSearchParams,
} from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import type { action, loader } from './route.tsx';

/**
 * The moves this page offers from the target's state (only those `canMove` allows). Set-up
 * done is one press; cancelling and reissuing open a confirmation first (?confirm=…, a
 * plain link, so it works without JavaScript), cancelling with its reason.
 */
export function MovesPanel() {
  const { t } = useTranslation('adminTargets');
  const { lang } = useParams();
  const { target, offered } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [search] = useSearchParams();
  const reasonError =
    answer && 'error' in answer && answer.intent === 'move'
      ? answer.error === 'reason_required' || answer.error === 'reason_too_long'
        ? t(`moves.errors.${answer.error}`)
        : null
      : null;
  const asked = reasonError ? 'cancelled' : search.get('confirm');
  const confirming = offered.find((to) => to !== 'setup_done' && to === asked);
  const pagePath = `/${lang}/admin/targets/${target.id}`;
  const heading = useRef<HTMLHeadingElement>(null);
  // The confirmation appears in place of the buttons: take the reader to it.
  useEffect(() => {
    if (confirming && !reasonError) heading.current?.focus();
  }, [confirming, reasonError]);

  return (
    <section aria-labelledby="moves-title">
      <h2 id="moves-title">{t('moves.title')}</h2>
      {offered.length === 0 ? <p>{t('moves.none')}</p> : null}
      {confirming ? (
        <div className="notice notice--warning">
          <h3 id="confirm-title" ref={heading} tabIndex={-1}>
            {t(`moves.confirm.${confirming}Title`)}
          </h3>
          <p>{t(`moves.confirm.${confirming}Lead`)}</p>
          <Form method="post" action={pagePath} className="form" replace>
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="to" value={confirming} />
            <input type="hidden" name="from" value={target.state} />
            {confirming === 'cancelled' ? (
              <>
                <ErrorSummary
                  errors={
                    reasonError
                      ? [
                          {
                            id: 'move-reason',
                            label: t('moves.confirm.reason'),
                            message: reasonError,
                          },
                        ]
                      : []
                  }
                />
                <Field
                  id="move-reason"
                  label={t('moves.confirm.reason')}
                  hint={t('moves.confirm.reasonHint')}
                  error={reasonError ?? undefined}
                  required
                >
                  {(describedBy, invalid) => (
                    <textarea
                      id="move-reason"
                      name="reason"
                      rows={3}
                      maxLength={500}
                      aria-describedby={describedBy}
                      aria-invalid={invalid || undefined}
                    />
                  )}
                </Field>
              </>
            ) : null}
            <div className="button-row">
              <button type="submit" className="button button--danger">
                {t(`moves.confirm.${confirming}Button`)}
              </button>
              <Link to={pagePath}>{t('moves.confirm.back')}</Link>
            </div>
          </Form>
        </div>
      ) : (
        <div className="button-row">
          {offered.includes('setup_done') ? (
            <Form method="post" action={pagePath} replace>
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="to" value="setup_done" />
              <input type="hidden" name="from" value={target.state} />
              <button type="submit" className="button button--primary">
                {t('moves.setupDone')}
              </button>
            </Form>
          ) : null}
          {offered
            .filter((to) => to !== 'setup_done')
            .map((to) => (
              <Link key={to} to={`${pagePath}?confirm=${to}`} className="button">
                {t(`moves.${to}`)}
              </Link>
            ))}
        </div>
      )}
    </section>
  );
}
