import { Form, useLoaderData, useLocation } from '@remix-run/react';
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { KeptEdits } from '../../ui/kept-edits.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import { RENEWAL_STATES } from '../../targets/renewal.ts';
import type { RenewalSearchSchema } from './search.schema.ts';
import type { loader } from './route.tsx';

/** By name, date of birth, notice number, reservation ID or code, within a status; a GET form. */
export function RenewalSearchForm() {
  const { t } = useTranslation('adminRenewals');
  const { result } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const [form, fields] = useForm<
    z.input<typeof RenewalSearchSchema>,
    z.output<typeof RenewalSearchSchema>
  >({
    lastResult: result,
    defaultValue: Object.fromEntries(
      ['name', 'birthDate', 'noticeNumber', 'reservationId', 'code', 'state'].map((k) => [
        k,
        params.get(k) ?? '',
      ]),
    ),
    shouldValidate: 'onSubmit',
  });
  const texts = [
    { field: fields.name, label: t('search.name'), hint: t('search.nameHint') },
    { field: fields.birthDate, label: t('search.birthDate'), hint: t('search.birthDateHint') },
    { field: fields.noticeNumber, label: t('search.noticeNumber') },
    {
      field: fields.reservationId,
      label: t('search.reservationId'),
      hint: t('search.reservationIdHint'),
    },
    { field: fields.code, label: t('search.registerCode'), hint: t('search.registerCodeHint') },
  ];
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = texts.flatMap(({ field, label }) => {
    const message = errorOf(field.errors);
    return message ? [{ id: field.id, label, message }] : [];
  });

  return (
    <Form
      method="get"
      {...getFormProps(form, { ariaAttributes: false })}
      className="form"
      role="search"
    >
      <ErrorSummary errors={summary} />
      <KeptEdits name="renewals-search" />
      {texts.map(({ field, label, hint }) => (
        <Field
          key={field.name}
          id={field.id}
          label={label}
          hint={hint}
          error={errorOf(field.errors)}
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(field, { type: 'text', ariaAttributes: false })}
              autoComplete="off"
              spellCheck={false}
              inputMode={field.name === 'code' ? 'numeric' : undefined}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
      ))}
      <Field id={fields.state.id} label={t('search.state')}>
        {(describedBy) => (
          <select
            {...getSelectProps(fields.state, { ariaAttributes: false })}
            aria-describedby={describedBy}
          >
            {RENEWAL_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
            <option value="all">{t('search.stateAll')}</option>
          </select>
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('search.submit')}
        </button>
      </div>
    </Form>
  );
}
