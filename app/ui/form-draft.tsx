import { useEffect, useRef, useState } from 'react';
import { useActionData, useLocation, useNavigation, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { formatClockTime, PREFIX, storage } from './form-draft-store.ts';
import { readFields, writeFields, type Fields } from './form-fields.ts';

type Draft = { savedAt: number; fields: Fields };

/**
 * Drafts of long forms, kept in the browser so a session that ends (idle or too old) never
 * costs what was typed (docs/decisions/0027-session-timeout-and-drafts.md):
 * - sessionStorage, not localStorage: the draft lives in this tab only and is gone when the
 *   tab or browser closes, so a shared counter computer does not keep it;
 * - one key per person (a hash of the account, and of the resident a proxy acts for), form and
 *   page address;
 *   another person signing in in the same tab removes drafts that are not theirs;
 * - removed after the form's submission succeeds and when the person signs out on purpose;
 * - hidden fields (the idempotency key), files and passwords are never kept.
 */

const isSignIn = (pathname: string) => pathname.endsWith('/sign-in');

/**
 * Keeps a draft of the form it is placed in (one line in the form: `<FormDraft name="…" />`),
 * restores it when the form opens again (after signing in again, a reload, a crash of the
 * tab) and says so, with a button to discard it. A form whose action answers success with data
 * rather than a redirect says so with `done`.
 */
export function FormDraft({ name, done = false }: { name: string; done?: boolean }) {
  const { t, i18n } = useTranslation('session');
  const root = useRouteLoaderData('root') as
    { viewer?: { draftScope?: string } | null } | undefined;
  const scope = root?.viewer?.draftScope ?? null;
  const navigation = useNavigation();
  const actionData = useActionData();
  const location = useLocation();
  const anchor = useRef<HTMLDivElement>(null);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const state = useRef({ submitted: false, sawSubmitting: false, done: false });
  // Per page as well (/ja/… and /en/… are two pages): the way back after signing in is the
  // same address, and a form opened afresh in the other language starts empty.
  const key = scope ? `${PREFIX}${scope}:${name}:${location.pathname}` : null;

  // Save while typing (a moment after the last key), at once on submit and when leaving.
  useEffect(() => {
    const form = anchor.current?.closest('form');
    const store = storage();
    if (!form || !store || !key) return;
    const initial = JSON.stringify(readFields(form));
    const saved = store.getItem(key);
    if (saved) {
      try {
        const draft = JSON.parse(saved) as Draft;
        if (JSON.stringify(draft.fields) !== initial) {
          writeFields(form, draft.fields);
          // eslint-disable-next-line react-hooks/set-state-in-effect -- the draft is only knowable in the browser, after hydration
          setRestoredAt(draft.savedAt);
          setMessage(t('draft.restored', { time: formatClockTime(draft.savedAt, i18n.language) }));
        }
      } catch {
        store.removeItem(key);
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      clearTimeout(timer);
      if (state.current.done) return;
      const fields = readFields(form);
      if (JSON.stringify(fields) === initial) store.removeItem(key);
      else {
        const draft: Draft = { savedAt: Date.now(), fields };
        store.setItem(key, JSON.stringify(draft));
      }
    };
    const later = () => {
      state.current.done = false; // typing again after a success: a new draft
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    };
    const submitted = () => {
      save();
      state.current.submitted = true;
      state.current.sawSubmitting = false;
    };
    const hidden = () => {
      if (document.visibilityState === 'hidden') save();
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    form.addEventListener('submit', submitted);
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      save();
      form.removeEventListener('input', later);
      form.removeEventListener('change', later);
      form.removeEventListener('submit', submitted);
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', hidden);
    };
    // The draft is read once per form and person; `t` changing must not restore it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // A submission that the server answered with a redirect to anywhere but sign-in succeeded:
  // the draft has done its work. An answer with errors (action data) or a sign-in page keeps it.
  useEffect(() => {
    const s = state.current;
    if (!s.submitted || !key) return;
    const succeeded = () => {
      s.done = true;
      s.submitted = false;
      storage()?.removeItem(key);
    };
    if (navigation.state === 'submitting') s.sawSubmitting = true;
    if (navigation.state === 'loading' && navigation.formAction) {
      s.sawSubmitting = true;
      const target = navigation.location;
      const submittedTo = new URL(navigation.formAction, window.location.origin);
      const redirected =
        target.pathname !== submittedTo.pathname || target.search !== submittedTo.search;
      if (redirected && !isSignIn(target.pathname)) succeeded();
    }
    if (navigation.state === 'idle' && s.sawSubmitting) {
      if (actionData === undefined && !isSignIn(location.pathname)) succeeded();
      else s.submitted = false;
    }
  }, [navigation, actionData, location, key]);

  useEffect(() => {
    if (!done || !key) return;
    state.current.done = true;
    storage()?.removeItem(key);
  }, [done, key]);

  const discard = () => {
    const form = anchor.current?.closest('form');
    if (key) storage()?.removeItem(key);
    form?.reset();
    setRestoredAt(null);
    setMessage(t('draft.discarded'));
    // The button goes away: start again at the form's first field.
    form?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus();
  };

  return (
    <div ref={anchor} className="form-draft">
      <div role="status" data-testid="form-draft-status">
        {message ? <p className="notice notice--info">{message}</p> : null}
      </div>
      {restoredAt ? (
        <p>
          <button type="button" className="button--link" onClick={discard}>
            {t('draft.discard')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
