import type { z } from 'zod';
import { Form, useActionData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import type { CreateGroupSchema } from '../../identity/staff.schema.ts';
import type { action } from './route.tsx';

/** A new, empty group: permissions are ticked in the table afterwards. */
export function CreateGroupForm() {
  const { t } = useTranslation('adminStaff');
  const result = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof CreateGroupSchema>>({
    id: 'create-group',
    lastResult: result?.intent === 'create' ? result.result : undefined,
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      [fields.name, 'create.name'],
      [fields.description, 'create.description'],
    ] as const
  )
    .filter(([field]) => field.errors?.length)
    .map(([field, label]) => ({
      id: field.id,
      label: t(label),
      message: message(field.errors) ?? '',
    }));

  return (
    <>
      <h2>{t('create.title')}</h2>
      <p>{t('create.lead')}</p>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="create" />
        <Field
          id={fields.name.id}
          label={t('create.name')}
          error={message(fields.name.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.name, { type: 'text' })}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.description.id}
          label={t('create.description')}
          hint={t('create.descriptionHint')}
          error={message(fields.description.errors)}
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.description)}
              rows={3}
              cols={40}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('create.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
