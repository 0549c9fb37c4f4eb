import type { ReactNode } from 'react';
import { Form } from '@remix-run/react';
import { getFormProps, type FormMetadata } from '@conform-to/react';
import { ErrorSummary, Field } from '../../ui/form.tsx';

/**
 * A POST form of one required field (with its error next to it and in a summary) and a
 * submit button: moving a booking (a slot) and cancelling it (a reason).
 */
export function OneFieldForm<Schema extends Record<string, unknown>>({
  form,
  intent,
  bookingId,
  fieldId,
  label,
  hint,
  error,
  submit,
  danger,
  children,
}: {
  form: FormMetadata<Schema, string[]>;
  intent: 'move' | 'cancel';
  bookingId: string;
  fieldId: string;
  label: string;
  hint?: string;
  error: string | undefined;
  submit: string;
  danger?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  return (
    <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
      <ErrorSummary errors={error ? [{ id: fieldId, label, message: error }] : []} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="bookingId" value={bookingId} />
      <Field id={fieldId} label={label} hint={hint} error={error} required>
        {children}
      </Field>
      <div className="button-row">
        <button
          type="submit"
          className={danger ? 'button button--danger' : 'button button--primary'}
        >
          {submit}
        </button>
      </div>
    </Form>
  );
}
