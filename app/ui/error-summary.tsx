import { useEffect, useReducer, useRef, type MouseEvent, type RefObject } from 'react';
import { useActionData, useFetchers, useNavigation } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { MarkJapanese } from './mark-japanese.tsx';
import { focusHeldByTyping } from './focus.ts';

export type FieldError = { id: string; label: string; message: string };

/**
 * Moves focus to the summary once after each submission attempt of its own form has settled
 * (the browser's submit event, also when client-side validation stops it; the server's answer
 * may arrive a render later), or when a page arrives with errors. Never on a plain re-render,
 * nor when another form of the page is answered (a panel's "saved" notice takes focus then),
 * so focus the user or the page moved elsewhere stays where it was put.
 *
 * A submit made while the page is still hydrating reaches React (which replays it) before the
 * submit listener below exists; the route's new action answer counts as that submission then,
 * unless the last submit seen was another form's.
 */
function useFocusAfterSubmit(
  ref: RefObject<HTMLElement | null>,
  anchor: RefObject<HTMLElement | null>,
  count: number,
) {
  const pending = useRef(true); // the first render: a page that arrives with errors
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== 'idle' || fetchers.some((f) => f.state !== 'idle');
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const actionData = useActionData();
  const seenAnswer = useRef(actionData);
  const otherFormLast = useRef(false);

  useEffect(() => {
    const onSubmit = (event: Event) => {
      // The form the summary (or, with no errors shown, its hidden anchor) sits in; a summary
      // outside any form counts every submit of the page.
      const own = (ref.current ?? anchor.current)?.closest('form');
      otherFormLast.current = !!own && event.target !== own;
      if (otherFormLast.current) return;
      pending.current = true;
      // Client-side validation may answer with the same errors (no re-render of its own).
      requestAnimationFrame(() => rerender());
    };
    document.addEventListener('submit', onSubmit, true);
    return () => document.removeEventListener('submit', onSubmit, true);
  }, [ref, anchor]);

  useEffect(() => {
    if (actionData !== seenAnswer.current) {
      seenAnswer.current = actionData;
      if (!otherFormLast.current) pending.current = true;
    }
    if (busy || !pending.current) return;
    if (count > 0) {
      pending.current = false;
      if (!focusHeldByTyping()) ref.current?.focus();
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
  titleId = 'error-summary-title',
}: {
  errors: FieldError[];
  formError?: string | null;
  /** Another id for the heading when a page has a second form with its own summary. */
  titleId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const anchor = useRef<HTMLSpanElement>(null);
  const count = errors.length + (formError ? 1 : 0);
  useFocusAfterSubmit(ref, anchor, count);
  // Marks where the summary will appear, so its form is known before there are errors.
  if (count === 0) return <span hidden ref={anchor} />;
  return (
    <div className="error-summary" role="alert" aria-labelledby={titleId} tabIndex={-1} ref={ref}>
      <h2 id={titleId} className="error-summary__title">
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
