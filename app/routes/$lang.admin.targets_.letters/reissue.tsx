import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { PersonName } from '../../ui/layout.tsx';
import { userText } from '../../ui/user-text.ts';

type Found = {
  typed: string;
  error: 'format' | 'notFound' | null;
  target: {
    id: string;
    name: string;
    address: string;
    state: string;
    reservationId: string;
  } | null;
};

/**
 * A lost letter: find the target by its reservation ID, confirm, and reissue. The old password
 * and every QR code printed before stop working; the new letter prints from here.
 */
export function Reissue({
  found,
  reissued,
  failed,
}: {
  found: Found | null;
  reissued: {
    targetId: string;
    reservationId: string;
    version: number;
  } | null;
  failed: boolean;
}) {
  const { t } = useTranslation('adminTargetLetters');
  const { lang } = useParams();
  const target = found?.target ?? null;
  const findError = found?.error ? t(`reissue.errors.${found.error}`) : undefined;

  return (
    <section aria-labelledby="reissue-title">
      <h2 id="reissue-title">{t('reissue.heading')}</h2>
      <p>{t('reissue.lead')}</p>
      {reissued ? (
        <Notice focusKey={`${reissued.targetId}:${reissued.version}`}>
          <p>{t('reissue.done', { reservationId: reissued.reservationId })}</p>
          <Form method="post">
            <input type="hidden" name="by" value="target" />
            <input type="hidden" name="targetId" value={reissued.targetId} />
            <button type="submit" name="intent" value="print" className="button button--primary">
              {t('reissue.printNew')}
            </button>
          </Form>
        </Notice>
      ) : target ? (
        <div className="notice notice--warning" data-testid="reissue-confirm">
          <h3>{t('reissue.confirmHeading')}</h3>
          <dl className="meta-list">
            <div>
              <dt>{t('reissue.reservationId')}</dt>
              <dd translate="no">{target.reservationId}</dd>
            </div>
            <div>
              <dt>{t('reissue.name')}</dt>
              <dd>
                <PersonName name={target.name} />
              </dd>
            </div>
            <div>
              <dt>{t('reissue.address')}</dt>
              <dd lang="ja">{userText(target.address)}</dd>
            </div>
            <div>
              <dt>{t('reissue.state')}</dt>
              <dd>{t(`states.${target.state}`)}</dd>
            </div>
          </dl>
          <p>{t('reissue.warning')}</p>
          {failed ? <p role="alert">{t('reissue.errors.noCredentials')}</p> : null}
          <Form method="post" className="button-row">
            <input type="hidden" name="targetId" value={target.id} />
            <button type="submit" name="intent" value="reissue" className="button button--danger">
              {t('reissue.confirm')}
            </button>
            <Link to={`/${lang}/admin/targets/letters`} className="button button--secondary">
              {t('reissue.cancel')}
            </Link>
          </Form>
        </div>
      ) : null}
      {!target && !reissued ? (
        <Form method="get" className="form">
          <ErrorSummary
            titleId="reissue-errors-title"
            errors={
              findError
                ? [{ id: 'reservationId', label: t('reissue.reservationId'), message: findError }]
                : []
            }
          />
          <Field
            id="reservationId"
            label={t('reissue.reservationId')}
            hint={t('reissue.reservationIdHint')}
            error={findError}
            required
          >
            {(describedBy, invalid) => (
              <input
                id="reservationId"
                name="reservationId"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                className="input--code"
                defaultValue={found?.typed}
                required
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <div className="button-row">
            <button type="submit" className="button button--secondary">
              {t('reissue.find')}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
