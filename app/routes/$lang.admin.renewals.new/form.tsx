import { Form, Link, useActionData, useParams } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import type { AddRenewalSchema } from '../../targets/renewal.schema.ts';
import type { action } from './route.tsx';

type Name = keyof z.input<typeof AddRenewalSchema>;

/** Every field of a renewal list line, with its label, hint and whether it is required. */
const FIELDS: { name: Name; required: boolean; hint: boolean; numeric?: boolean }[] = [
  { name: 'residentRegisterCode', required: true, hint: true, numeric: true },
  { name: 'name', required: true, hint: true },
  { name: 'nameKana', required: false, hint: false },
  { name: 'birthDate', required: true, hint: true },
  { name: 'address', required: true, hint: false },
  { name: 'noticeNumber', required: true, hint: true },
  { name: 'certificateExpiresOn', required: false, hint: true },
];
const LABEL: Record<Name, string> = {
  residentRegisterCode: 'registerCode',
  name: 'name',
  nameKana: 'nameKana',
  birthDate: 'birthDate',
  address: 'address',
  noticeNumber: 'noticeNumber',
  certificateExpiresOn: 'expires',
};

export function AddRenewalForm() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm<
    z.input<typeof AddRenewalSchema>,
    z.output<typeof AddRenewalSchema>
  >({
    lastResult: answer?.result,
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = FIELDS.flatMap(({ name }) => {
    const message = errorOf(fields[name].errors);
    return message ? [{ id: fields[name].id, label: t(`add.${LABEL[name]}`), message }] : [];
  });
  const formError = errorOf(form.errors);

  return (
    <div className="page">
      <h1>{t('add.title')}</h1>
      <p>{t('add.lead')}</p>
      {answer?.addedId ? (
        <Notice focusKey={answer.at}>
          {t('detail.addedNotice')}{' '}
          <Link to={`/${lang}/admin/renewals/${answer.addedId}`}>{t('add.addedLink')}</Link>
        </Notice>
      ) : null}
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} formError={formError} />
        {answer?.duplicateId ? (
          <p>
            <Link to={`/${lang}/admin/renewals/${answer.duplicateId}`}>
              {t('add.duplicateLink')}
            </Link>
          </p>
        ) : null}
        {FIELDS.map(({ name, required, hint, numeric }) => (
          <Field
            key={name}
            id={fields[name].id}
            label={t(`add.${LABEL[name]}`)}
            hint={hint ? t(`add.${LABEL[name]}Hint`) : undefined}
            error={errorOf(fields[name].errors)}
            required={required}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields[name], { type: 'text', ariaAttributes: false })}
                required={required}
                autoComplete="off"
                spellCheck={false}
                inputMode={numeric ? 'numeric' : undefined}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        ))}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('add.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
