import type { z } from 'zod';
import { useEffect, useRef } from 'react';
import { Form, Link, useActionData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { RadioList } from '../../ui/radio-list.tsx';
import { ErrorSummary, Fieldset } from '../../ui/form.tsx';
import { formAnswer } from '../../ui/form-answer.ts';
import type { ResidentWithdrawSchema } from '../../credentials/revocation.schema.server.ts';
import { RESIDENT_REASONS, type CredentialView } from '../../credentials/revocation.ts';
import { AppName } from '../../ui/app-name.tsx';
import type { action } from './route.tsx';

/** One credential: which app and phone, when, until when; "Withdraw" while it is live. */
export function CredentialCard({
  credential: c,
  several,
  confirming,
}: {
  credential: CredentialView;
  several: boolean;
  confirming: boolean;
}) {
  const { t } = useTranslation('credentials');
  const { lang } = useParams();

  return (
    <section aria-labelledby={`credential-${c.id}`} className="card">
      <h2 id={`credential-${c.id}`}>
        {c.document} — <AppName name={c.client} />
      </h2>
      <dl className="meta-list">
        <div>
          <dt>{t('my.app')}</dt>
          <dd>
            <AppName name={c.client} />
          </dd>
        </div>
        {c.device ? (
          <div>
            <dt>{t('my.device')}</dt>
            <dd>
              <AppName name={c.device} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('my.issuedAt')}</dt>
          <dd>{c.issuedAt}</dd>
        </div>
        <div>
          <dt>{t('my.validUntil')}</dt>
          <dd>{c.validUntil}</dd>
        </div>
        <div>
          <dt>{t('admin.state')}</dt>
          <dd>
            {c.state === 'active'
              ? t('my.active')
              : c.state === 'revoked'
                ? t('my.withdrawn')
                : t('states.expired')}
            {c.state === 'revoked'
              ? ` (${(RESIDENT_REASONS as readonly string[]).includes(c.reason) ? t(`my.reasons.${c.reason as 'lost_device'}`) : t(`reasons.${c.reason}`)})`
              : null}
          </dd>
        </div>
      </dl>
      {c.state !== 'active' ? null : confirming ? (
        <WithdrawConfirm id={c.id} />
      ) : (
        <p>
          <Link to={`/${lang}/my/credentials?confirm=${c.id}`} className="button button--danger">
            {t('my.withdraw')}
            {several ? (
              <span className="visually-hidden">
                {' '}
                {c.document} — <AppName name={c.client} />
                {c.device ? (
                  <>
                    {' '}
                    (<AppName name={c.device} />)
                  </>
                ) : null}{' '}
                {c.issuedAt}
              </span>
            ) : null}
          </Link>
        </p>
      )}
    </section>
  );
}

function WithdrawConfirm({ id }: { id: string }) {
  const { t } = useTranslation('credentials');
  const { lang } = useParams();
  const answer = useActionData<typeof action>();
  const form = formAnswer<z.input<typeof ResidentWithdrawSchema>>(
    `withdraw-${id}`,
    answer && !answer.done ? answer.result : undefined,
  );
  const { fields } = form;
  const reasonError = fields.reason.errors?.[0] ? t(fields.reason.errors[0]) : undefined;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!reasonError) heading.current?.focus();
    // Only when the confirmation opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return (
    <div className="notice notice--warning">
      <h3 id={`confirm-${id}`} ref={heading} tabIndex={-1}>
        {t('my.confirmTitle')}
      </h3>
      <p>{t('my.confirmLead')}</p>
      <Form method="post" id={form.id} noValidate className="form" replace>
        <ErrorSummary
          errors={
            reasonError
              ? [
                  {
                    id: `${fields.reason.id}-${RESIDENT_REASONS[0]}`,
                    label: t('my.why'),
                    message: reasonError,
                  },
                ]
              : []
          }
        />
        <input type="hidden" name="credentialId" value={id} />
        <Fieldset id={fields.reason.id} legend={t('my.why')} error={reasonError} required>
          {() => (
            <RadioList
              idStem={fields.reason.id}
              name={fields.reason.name}
              options={RESIDENT_REASONS.map((value) => ({
                value,
                label: t(`my.reasons.${value}`),
              }))}
              checked={fields.reason.defaultValue}
            />
          )}
        </Fieldset>
        <div className="button-row">
          <button type="submit" className="button button--danger">
            {t('my.confirm')}
          </button>
          <Link to={`/${lang}/my/credentials`}>{t('my.cancel')}</Link>
        </div>
      </Form>
    </div>
  );
}
