import { daysBetween } from '../i18n/dates.ts';
import { localizePath, type Locale } from '../i18n/locales.ts';
import { externalUrl, hasInvisibleCharacters, sameOriginPath } from '../platform/links.ts';

/**
 * To-dos (やること): the domain's types and pure helpers. No server imports: pages format
 * to-dos in the browser too.
 */
export const TODO_STATUSES = ['open', 'done', 'dismissed'] as const;
export type TodoStatus = (typeof TODO_STATUSES)[number];

/** A resident closes a to-do one of two ways; nothing reopens one. */
export const TODO_CLOSINGS = ['done', 'dismissed'] as const;
export type TodoClosing = (typeof TODO_CLOSINGS)[number];

/**
 * What a resident reads: the stored status, with "overdue" worked out from the due date in
 * Japan time. An open to-do due within `DUE_SOON_DAYS` days is still 'open' but says so.
 */
export type TodoState = 'open' | 'overdue' | 'done' | 'dismissed';

export const DUE_SOON_DAYS = 7;

/** A system to-do kind names what the to-do is for: 'book_card_pickup'. */
export const TODO_KIND = /^[a-z][a-z0-9_]{0,62}$/;

export type Todo = {
  id: string;
  kind: string | null;
  source: 'staff' | 'system';
  titleJa: string | null;
  titleEn: string | null;
  descriptionJa: string | null;
  descriptionEn: string | null;
  /** The last day, YYYY-MM-DD (a calendar date in Japan), or null when there is none. */
  dueDate: string | null;
  actionUrl: string | null;
  status: TodoStatus;
  statusChangedAt: Date | null;
  createdAt: Date;
  /** Worked out for the `today` the list was read on. */
  state: TodoState;
  /** Days from today to the due date (0: due today, negative: overdue); null without a due date. */
  daysLeft: number | null;
  /** Open, due within `DUE_SOON_DAYS` days, not yet overdue. */
  dueSoon: boolean;
};

/** The state a resident reads for a to-do on `today` (YYYY-MM-DD in Japan). */
export function todoState(
  todo: { status: TodoStatus; dueDate: string | null },
  today: string,
  soonDays = DUE_SOON_DAYS,
): { state: TodoState; daysLeft: number | null; dueSoon: boolean } {
  const daysLeft = todo.dueDate ? daysBetween(today, todo.dueDate) : null;
  if (todo.status !== 'open') return { state: todo.status, daysLeft, dueSoon: false };
  if (daysLeft !== null && daysLeft < 0) return { state: 'overdue', daysLeft, dueSoon: false };
  return { state: 'open', daysLeft, dueSoon: daysLeft !== null && daysLeft <= soonDays };
}

/**
 * The title to show on a page in `locale`: its own language if written, else the other one,
 * with that language's tag so screen readers pronounce it right.
 */
export function pickTitle(
  todo: Pick<Todo, 'titleJa' | 'titleEn' | 'descriptionJa' | 'descriptionEn'>,
  locale: Locale,
): { lang: Locale; title: string; description: string | null } {
  const ja =
    todo.titleJa !== null
      ? { lang: 'ja' as const, title: todo.titleJa, description: todo.descriptionJa }
      : null;
  const en =
    todo.titleEn !== null
      ? { lang: 'en' as const, title: todo.titleEn, description: todo.descriptionEn }
      : null;
  const chosen = locale === 'en' ? (en ?? ja) : (ja ?? en);
  if (!chosen) throw new Error('a to-do has no title in any language');
  return chosen;
}

/**
 * A to-do's link as staff or the system may store it: a path on this site or an https address
 * elsewhere, by the same rule that renders it (actionLink), and written without characters a
 * browser would silently drop (what is stored is what residents follow).
 */
export function isTodoLink(value: string): boolean {
  if (hasInvisibleCharacters(value)) return false;
  return sameOriginPath(value) !== null || externalUrl(value) !== null;
}

/**
 * Where a to-do's link goes. A path on this site opens in the page's language; an https link
 * to another domain passes the "you are leaving Madoguchi" page first. Anything else: no link.
 * Both judged by app/platform/links.ts, as the browser would read them.
 */
export function actionLink(
  actionUrl: string | null,
  locale: Locale,
): { href: string; external: boolean; host: string | null } | null {
  const path = sameOriginPath(actionUrl);
  if (path !== null) return { href: localizePath(path, locale), external: false, host: null };
  const url = externalUrl(actionUrl);
  if (!url) return null;
  return {
    href: `/${locale}/leaving?to=${encodeURIComponent(url.href)}`,
    external: true,
    host: url.host,
  };
}
