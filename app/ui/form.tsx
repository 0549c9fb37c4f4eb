import {
  useEffect,
  useReducer,
  useRef,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useActionData, useFetchers, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { MarkJapanese } from './mark-japanese.tsx';
import { useFocusOnChange } from './focus.ts';

export type FieldError = { id: string; label: string; message: string };

/**
 * Moves focus to the summary once after each submission attempt of its form has settled:
 * the browser's submit event (also when client-side validation stops it), a new action
 * answer, or a page that arrived with errors. Never on a plain re-render, so focus the user
 * moved elsewhere (a summary link to its field) stays where they put it.
 */
function useFocusAfterSubmit(ref: RefObject<HTMLElement | null>, count: number) {
  const pending = useRef(true); // the first render: a page that arrives with errors
  const actionData = useActionData();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== 'idle' || fetchers.some((f) => f.state !== 'idle');
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (actionData != null) pending.current = true;
  }, [actionData]);

  useEffect(() => {
    const onSubmit = (event: Event) => {
      const summary = ref.current;
      // With errors shown, only this form's own submit counts; before, any form on the page.
      if (summary && !(event.target instanceof Node && event.target.contains(summary))) return;
      pending.current = true;
      // Client-side validation may answer with the same errors (no re-render of its own).
      requestAnimationFrame(() => rerender());
    };
    document.addEventListener('submit', onSubmit, true);
    return () => document.removeEventListener('submit', onSubmit, true);
  }, [ref]);

  useEffect(() => {
    if (busy || !pending.current) return;
    if (count > 0) {
      pending.current = false;
      ref.current?.focus();
      return;
    }
    // An answer can reach the form a render later (conform applies lastResult in an effect).
    const timer = setTimeout(() => (pending.current = false), 200);
    return () => clearTimeout(timer);
  });
}

/**
 * The error summary at the top of a form (GOV.UK/DADS pattern): says there are problems,
 * links each to its field, and takes focus once per submission so a screen reader reads it.
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
  useFocusAfterSubmit(ref, count);
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
            <a href={`#${e.id}`} onClick={(event) => goToField(event, e.id)}>
              {e.label}: <MarkJapanese text={e.message} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Moves focus to the field and brings its label (or its group's legend) into view, as the
 * GOV.UK summary does: the fragment jump alone scrolls the label off the top of the screen
 * and adds a history entry per click. Without JavaScript the plain link still works.
 */
function goToField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const field = document.getElementById(id);
  if (!field) return;
  event.preventDefault();
  const label =
    field.closest('fieldset')?.querySelector('legend') ??
    document.querySelector(`label[for="${CSS.escape(id)}"]`);
  (label ?? field).scrollIntoView({ block: 'start' });
  field.focus({ preventScroll: true });
}

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
