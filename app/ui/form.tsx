import type { ReactNode } from 'react';
import { useTranslation } from '../i18n/react.tsx';
import { MarkJapanese } from './mark-japanese.tsx';
import { useFocusOnChange } from './focus.ts';

export { ErrorSummary, type FieldError } from './error-summary.tsx';

/**
 * "Required" after a label or legend, read as part of its name with a pause:
 * "Letter ID, required" / 「通知書 ID、必須」.
 */
export function RequiredMarker() {
  const { t } = useTranslation();
  return (
    <span className="field__required">
      {/* Inline, unlike .visually-hidden (absolutely positioned: Chrome would add a space). */}
      <span className="field__required-separator">{t('form.requiredSeparator')}</span>
      {t('form.required')}
    </span>
  );
}

/** The ids a control's aria-describedby should name: only those that are rendered. */
const describedByOf = (id: string, hint: boolean, error: boolean) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

function ErrorText({ id, error }: { id: string; error: string }) {
  const { t } = useTranslation();
  return (
    <p id={id} className="field__error">
      <span className="visually-hidden">{t('form.errorPrefix')}</span>
      <MarkJapanese text={error} />
    </p>
  );
}

/** A labelled field with its hint and error, wired with aria-describedby. */
export function Field({
  id,
  label,
  hint,
  error,
  required,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required ? <RequiredMarker /> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? <ErrorText id={`${id}-error`} error={error} /> : null}
      {children(describedByOf(id, Boolean(hint), Boolean(error)), Boolean(error))}
    </div>
  );
}

/**
 * A group of controls (date parts, check boxes, radio buttons) under one legend, with the
 * group's hint and error named by the fieldset's aria-describedby. `id` is the stem of the
 * hint and error ids; `children` gets the same ids for controls that want them too.
 */
export function Fieldset({
  id,
  legend,
  hint,
  error,
  required,
  children,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const describedBy = describedByOf(id, Boolean(hint), Boolean(error));
  return (
    <fieldset className={error ? 'field field--error' : 'field'} aria-describedby={describedBy}>
      <legend>
        {legend}
        {required ? <RequiredMarker /> : null}
      </legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <ErrorText id={`${id}-error`} error={error} /> : null}
      {children(describedBy, Boolean(error))}
    </fieldset>
  );
}

/**
 * A status message after an action succeeded (announced politely). With `focusKey`, it also
 * takes focus whenever that key changes: the control that did the action is often gone.
 */
export function Notice({
  children,
  tone = 'success',
  focusKey,
}: {
  children: ReactNode;
  tone?: 'success' | 'info' | 'warning';
  focusKey?: unknown;
}) {
  const ref = useFocusOnChange<HTMLDivElement>(focusKey);
  const focusable = focusKey != null;
  return (
    <div
      className={`notice notice--${tone}`}
      role="status"
      ref={ref}
      tabIndex={focusable ? -1 : undefined}
    >
      {children}
    </div>
  );
}
