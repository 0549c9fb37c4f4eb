import type { z } from 'zod';
import { useEffect, useRef } from 'react';
import { Form, Link, useActionData } from '@remix-run/react';
import { getFormProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { RadioList } from '../../ui/radio-list.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import type { StaffRevokeSchema } from '../../credentials/revocation.schema.server.ts';
import { STAFF_REASONS } from '../../credentials/revocation.ts';
import type { action } from './route.tsx';

/**
 * The confirmation step (GOV.UK "are you sure", as on the target page): a reason from the
 * closed set, words for "other", then one press. It takes focus when it appears.
 */
export function RevokeConfirm({
  residentId,
  target,
  activeCount,
  cancelTo,
}: {
  residentId: string;
  target: string;
  activeCount: number;
  cancelTo: string;
}) {
  const { t } = useTranslation('credentials');
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof StaffRevokeSchema>>({
    id: 'revoke',
    lastResult: answer && !answer.done ? answer.result : undefined,
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const reasonError = errorOf(fields.reason.errors);
  const noteError = errorOf(fields.note.errors);
  const summary = [
    reasonError
      ? {
          id: `${fields.reason.id}-${STAFF_REASONS[0]}`,
          label: t('admin.reason'),
          message: reasonError,
        }
      : null,
    noteError ? { id: fields.note.id, label: t('admin.note'), message: noteError } : null,
  ].filter((e) => e !== null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (summary.length === 0) heading.current?.focus();
    // Only when the confirmation opens (for another target).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);
  return (
    <section className="notice notice--warning" aria-labelledby="confirm-title">
      <h2 id="confirm-title" ref={heading} tabIndex={-1}>
        {target === 'all'
          ? t('admin.confirmAllTitle', { count: activeCount })
          : t('admin.confirmOneTitle')}
      </h2>
      <p>{t('admin.confirmLead')}</p>
      <Form
        method="post"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
        replace
      >
        <ErrorSummary errors={summary} />
        <input type="hidden" name="residentId" value={residentId} />
        <input type="hidden" name="target" value={target} />
        <Fieldset id={fields.reason.id} legend={t('admin.reason')} error={reasonError} required>
          {() => (
            <RadioList
              idStem={fields.reason.id}
              name={fields.reason.name}
              options={STAFF_REASONS.map((value) => ({ value, label: t(`reasons.${value}`) }))}
              checked={fields.reason.initialValue}
            />
          )}
        </Fieldset>
        <Field
          id={fields.note.id}
          label={t('admin.note')}
          hint={t('admin.noteHint')}
          error={noteError}
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.note, { ariaAttributes: false })}
              rows={3}
              maxLength={500}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--danger">
            {t('admin.confirm')}
          </button>
          <Link to={cancelTo}>{t('admin.cancel')}</Link>
        </div>
      </Form>
    </section>
  );
}
