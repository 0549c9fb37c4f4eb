import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type FieldError = { id: string; label: string; message: string };

/**
 * The error summary at the top of a form (GOV.UK/DADS pattern): says there are problems,
 * links each to its field, and takes focus when it appears so a screen reader reads it.
 */
export function ErrorSummary({
  errors,
  formError,
}: {
  errors: FieldError[];
  formError?: string | null;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const count = errors.length + (formError ? 1 : 0);
  useEffect(() => {
    if (count > 0) ref.current?.focus();
  }, [count, formError, errors]);
  if (count === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      ref={ref}
    >
      <h2 id="error-summary-title" className="error-summary__title">
        {t('form.errorSummaryTitle')}
      </h2>
      <ul>
        {formError ? <li>{formError}</li> : null}
        {errors.map((e) => (
          <li key={e.id}>
            <a href={`#${e.id}`}>
              {e.label}: {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
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
  const { t } = useTranslation();
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required ? <span className="field__required">{t('form.required')}</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">{t('form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      {children(describedBy, Boolean(error))}
    </div>
  );
}

/** A status message after an action succeeded (announced politely). */
export function Notice({
  children,
  tone = 'success',
}: {
  children: ReactNode;
  tone?: 'success' | 'info' | 'warning';
}) {
  return (
    <div className={`notice notice--${tone}`} role="status">
      {children}
    </div>
  );
}
