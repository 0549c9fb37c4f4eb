import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/react.tsx';
import type { Locale } from '../i18n/locales.ts';
import { signInPath, type SessionEndReason } from '../identity/session-end.ts';
import { dropOtherDrafts, formatClockTime } from './form-draft-store.ts';

/**
 * Warns before a session ends (WCAG 2.2.1; docs/decisions/0027-session-timeout-and-drafts.md).
 * The root loader gives the time left on every load and revalidation; one timer waits for the
 * warning time and then asks the server (GET /:lang/session, which does not count as use) how
 * long is really left — a navigation or another tab may have extended it. Within the last two
 * minutes of the idle time an alert dialog offers "Stay signed in" (POST /:lang/session); five
 * minutes before the absolute limit it says when the session will end and that this cannot be
 * extended. When the session has ended the page goes to sign-in with the reason, and forms'
 * drafts (form-draft.tsx, form-draft-store.ts) bring the text back after signing in. Without JavaScript: no warning.
 */
export const IDLE_WARNING_MS = 2 * 60_000;
export const ABSOLUTE_WARNING_MS = 5 * 60_000;

type Clock = { idleMs: number; absoluteMs: number; idleMinutes: number; absoluteHours: number };
type Status = ({ signedIn: true } & Clock) | { signedIn: false; reason: SessionEndReason | null };
export type Deadlines = {
  idleAt: number;
  absoluteAt: number;
  idleMinutes: number;
  absoluteHours: number;
};
export type Warning = 'idle' | 'absolute';

export type SessionViewer = { kind: string; draftScope: string; session: Clock } | null;

const deadlinesFrom = (clock: Clock, now = Date.now()): Deadlines => ({
  idleAt: now + clock.idleMs,
  absoluteAt: now + clock.absoluteMs,
  idleMinutes: clock.idleMinutes,
  absoluteHours: clock.absoluteHours,
});

/** The idle expiry is capped at the absolute one: then extending would change nothing. */
const idleIsCapped = (d: Deadlines) => d.idleAt >= d.absoluteAt - 1000;

export function warningFor(d: Deadlines, now: number, absoluteSeen: boolean): Warning | null {
  if (!absoluteSeen && d.absoluteAt - now <= ABSOLUTE_WARNING_MS) return 'absolute';
  if (d.idleAt - now > IDLE_WARNING_MS) return null;
  if (!idleIsCapped(d)) return 'idle';
  return absoluteSeen ? null : 'absolute';
}

/**
 * When to look next: the warning time, or — with a warning shown, or the warning time passed
 * without one (the absolute warning already dismissed) — the end itself. Never a time already
 * past while nothing would change, or the page would ask the server again and again.
 */
export function nextCheckAt(
  d: Deadlines,
  warning: Warning | null,
  absoluteSeen: boolean,
  now: number,
): number {
  const end = Math.min(d.idleAt, d.absoluteAt);
  const warnAt = Math.min(
    d.idleAt - IDLE_WARNING_MS,
    absoluteSeen ? Infinity : d.absoluteAt - ABSOLUTE_WARNING_MS,
  );
  return warning || warnAt <= now ? end : Math.min(warnAt, end);
}

export function SessionTimeout({ locale, viewer }: { locale: Locale; viewer: SessionViewer }) {
  const { t } = useTranslation('session');
  const clock = viewer?.session ?? null;
  const staff = viewer?.kind === 'staff';
  const [deadlines, setDeadlines] = useState<Deadlines | null>(null);
  const [warning, setWarning] = useState<Warning | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<Element | null>(null);
  const absoluteSeen = useRef(false);

  // Every answer of the root loader (page load, revalidation after an action) restarts the count.
  useEffect(() => {
    const d = clock ? deadlinesFrom(clock) : null;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- counted from when the answer arrived in this browser
    setDeadlines(d);
    setWarning(d ? warningFor(d, Date.now(), absoluteSeen.current) : null);
  }, [clock]);

  // Another person signed in in this tab: the previous person's drafts go.
  const scope = viewer?.draftScope;
  useEffect(() => {
    if (scope) dropOtherDrafts(scope);
  }, [scope]);

  const leave = useCallback(
    (reason: SessionEndReason | null) => {
      const here = window.location.pathname + window.location.search;
      window.location.assign(signInPath(locale, staff, here, reason));
    },
    [locale, staff],
  );

  const apply = useCallback(
    (d: Deadlines) => {
      const now = Date.now();
      if (now >= Math.min(d.idleAt, d.absoluteAt)) {
        leave(d.absoluteAt <= now && idleIsCapped(d) ? 'absolute' : 'idle');
        return;
      }
      setDeadlines(d);
      setWarning(warningFor(d, now, absoluteSeen.current));
    },
    [leave],
  );

  const check = useCallback(async () => {
    let status: Status;
    try {
      const response = await fetch(`/${locale}/session`, {
        headers: { Accept: 'application/json' },
      });
      status = (await response.json()) as Status;
    } catch {
      // Offline or the server restarting: go by what we already know.
      if (deadlines) apply(deadlines);
      return;
    }
    if (!status.signedIn) leave(status.reason);
    else apply(deadlinesFrom(status));
  }, [locale, deadlines, apply, leave]);

  // One timer: the next moment something may change (the warning, or the end).
  useEffect(() => {
    if (!deadlines) return;
    const next = nextCheckAt(deadlines, warning, absoluteSeen.current, Date.now());
    const timer = setTimeout(() => void check(), Math.max(0, next - Date.now()));
    // Timers sleep with the computer and in hidden tabs: look again on coming back.
    const visible = () => {
      if (document.visibilityState === 'visible' && Date.now() >= next) void check();
    };
    document.addEventListener('visibilitychange', visible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', visible);
    };
  }, [deadlines, warning, check]);

  // The dialog is modal: it takes focus on its main button and gives it back when it closes.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (warning && !element.open) {
      returnFocus.current = document.activeElement;
      setAnnouncement('');
      element.showModal();
      primary.current?.focus();
    } else if (!warning && element.open) {
      element.close();
      const back = returnFocus.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    }
  }, [warning]);

  const stay = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const response = await fetch(`/${locale}/session`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
      });
      const status = (await response.json()) as Status;
      if (!status.signedIn) return leave(status.reason);
      const d = deadlinesFrom(status);
      setDeadlines(d);
      setWarning(null);
      setAnnouncement(t('warning.extended', { time: formatClockTime(d.idleAt, locale) }));
    } catch {
      // Nothing reached the server: the dialog stays, and the button can be pressed again.
    } finally {
      setBusy(false);
    }
  };

  const dismiss = () => {
    absoluteSeen.current = true;
    setWarning(null);
  };

  if (!viewer) return null;
  const end = deadlines ? Math.min(deadlines.idleAt, deadlines.absoluteAt) : 0;
  const vars = {
    time: formatClockTime(end, locale),
    minutes: deadlines?.idleMinutes ?? 0,
    hours: deadlines?.absoluteHours ?? 0,
  };
  return (
    <>
      <dialog
        ref={dialog}
        className="session-timeout"
        role="alertdialog"
        aria-modal="true"
        // Named only while its content is there: a closed dialog holds nothing to point at.
        aria-labelledby={warning ? 'session-timeout-title' : undefined}
        aria-describedby={warning ? 'session-timeout-body' : undefined}
        onCancel={(event) => {
          // Escape: someone is there. For the idle warning that is as good as "Stay signed in".
          event.preventDefault();
          if (warning === 'idle') void stay();
          else dismiss();
        }}
      >
        {warning ? (
          <>
            <h2 id="session-timeout-title">
              {t(warning === 'idle' ? 'warning.idleTitle' : 'warning.absoluteTitle')}
            </h2>
            <div id="session-timeout-body">
              <p>{t(warning === 'idle' ? 'warning.idleBody' : 'warning.absoluteBody', vars)}</p>
              {warning === 'idle' ? <p>{t('warning.idleHint')}</p> : null}
            </div>
            <div className="button-row">
              <button
                ref={primary}
                type="button"
                className="button button--primary"
                aria-disabled={busy || undefined}
                onClick={() => (warning === 'idle' ? void stay() : dismiss())}
              >
                {t(warning === 'idle' ? 'warning.stay' : 'warning.absoluteClose')}
              </button>
            </div>
          </>
        ) : null}
      </dialog>
      <div className="visually-hidden" role="status" data-testid="session-timeout-status">
        {announcement}
      </div>
    </>
  );
}
