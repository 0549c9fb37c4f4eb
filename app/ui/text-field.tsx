import type { ReactNode } from 'react';
import { getInputProps, type FieldMetadata } from '@conform-to/react';
import { Field } from './form.tsx';

/**
 * A one-line text field of a conform form, as searches and look-ups use it: labelled, with
 * its hint and error wired, no autocomplete (what staff type is about someone else).
 */
export function TextField({
  meta,
  label,
  hint,
  error,
  required,
}: {
  meta: FieldMetadata<string | undefined, Record<string, unknown>, string[]>;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
}) {
  return (
    <Field id={meta.id} label={label} hint={hint} error={error} required={required}>
      {(describedBy, invalid) => (
        <input
          {...getInputProps(meta, { type: 'text', ariaAttributes: false })}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );
}
