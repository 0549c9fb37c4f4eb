import type { z } from 'zod';
import { Form, useActionData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset, RequiredMarker } from '../../ui/form.tsx';
import { CLEAR_REASONS } from '../../targets/renewal.ts';
import type { ClearSchema, RenewSchema } from '../../targets/renewal.schema.ts';
import type { action } from './route.tsx';

function useAnswer(intent: 'renew' | 'clear') {
  const answer = useActionData<typeof action>();
  return answer?.intent === intent ? answer.result : undefined;
}

/** A required "I confirm" box: the input before its label, the error above both. */
function ConfirmBox({
  field,
  label,
  error,
}: {
  field: Parameters<typeof getInputProps>[0];
  label: string;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {error ? (
        <p id={`${field.id}-error`} className="field__error">
          <span className="visually-hidden">{t('form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      <div className="checkbox">
        <input
          {...getInputProps(field, { type: 'checkbox', ariaAttributes: false })}
          required
          aria-describedby={error ? `${field.id}-error` : undefined}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={field.id}>
          {label}
          <RequiredMarker />
        </label>
      </div>
    </div>
  );
}

/** Mark renewed: confirmed with a box, so a stray press changes nothing. */
export function RenewForm() {
  const { t } = useTranslation('adminRenewals');
  const [form, fields] = useForm<z.input<typeof RenewSchema>>({
    id: 'renew',
    lastResult: useAnswer('renew'),
    shouldValidate: 'onSubmit',
  });
  const error = fields.confirm.errors?.[0] ? t(fields.confirm.errors[0]) : undefined;
  return (
    <section aria-labelledby="renew-title">
      <h2 id="renew-title">{t('renew.heading')}</h2>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary
          errors={
            error ? [{ id: fields.confirm.id, label: t('renew.confirm'), message: error }] : []
          }
        />
        <input type="hidden" name="intent" value="renew" />
        <ConfirmBox field={fields.confirm} label={t('renew.confirm')} error={error} />
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('renew.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** Clear with the reason (moved out or died) and an optional note, confirmed with a box. */
export function ClearForm() {
  const { t } = useTranslation('adminRenewals');
  const [form, fields] = useForm<z.input<typeof ClearSchema>>({
    id: 'clear',
    lastResult: useAnswer('clear'),
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const errors = [
    {
      id: `${fields.reason.id}-${CLEAR_REASONS[0]}`,
      label: t('clear.reason'),
      message: errorOf(fields.reason.errors),
    },
    { id: fields.note.id, label: t('clear.note'), message: errorOf(fields.note.errors) },
    { id: fields.confirm.id, label: t('clear.confirm'), message: errorOf(fields.confirm.errors) },
  ].flatMap((e) => (e.message ? [{ ...e, message: e.message }] : []));
  return (
    <section aria-labelledby="clear-title">
      <h2 id="clear-title">{t('clear.heading')}</h2>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={errors} />
        <input type="hidden" name="intent" value="clear" />
        <Fieldset
          id={fields.reason.id}
          legend={t('clear.reason')}
          error={errorOf(fields.reason.errors)}
          required
        >
          {() => (
            <div>
              {CLEAR_REASONS.map((reason) => (
                <div key={reason} className="checkbox">
                  <input
                    type="radio"
                    id={`${fields.reason.id}-${reason}`}
                    name={fields.reason.name}
                    value={reason}
                    required
                    defaultChecked={fields.reason.initialValue === reason}
                  />
                  <label htmlFor={`${fields.reason.id}-${reason}`}>{t(`reason.${reason}`)}</label>
                </div>
              ))}
            </div>
          )}
        </Fieldset>
        <Field
          id={fields.note.id}
          label={t('clear.note')}
          hint={t('clear.noteHint')}
          error={errorOf(fields.note.errors)}
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.note, { ariaAttributes: false })}
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <ConfirmBox
          field={fields.confirm}
          label={t('clear.confirm')}
          error={errorOf(fields.confirm.errors)}
        />
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('clear.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}
