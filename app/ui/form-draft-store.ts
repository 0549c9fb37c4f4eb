/**
 * Where form drafts are kept (sessionStorage, one key per person, form and page: see
 * form-draft.tsx) and what every page needs of them: the session-timeout dialog drops other
 * people's drafts and says times as drafts do. Apart from the FormDraft component, so a page
 * without a long form does not load it (decision 0070).
 */
import { formatClock } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';

export const PREFIX = 'madoguchi:draft:';

/** "14:05": a time of day in Japan, as the warning and the draft notice give it. */
export function formatClockTime(epochMs: number, locale: string): string {
  return formatClock(epochMs, isLocale(locale) ? locale : 'ja');
}

export function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage switched off: forms still work, without drafts
  }
}

function draftKeys(): string[] {
  const store = storage();
  if (!store) return [];
  return Array.from({ length: store.length }, (_, i) => store.key(i) ?? '').filter((k) =>
    k.startsWith(PREFIX),
  );
}

/** Every draft in this tab (sign-out: nothing typed stays behind for the next person). */
export function clearAllDrafts(): void {
  for (const key of draftKeys()) storage()?.removeItem(key);
}

/** Drafts of anyone but the person now signed in. */
export function dropOtherDrafts(scope: string): void {
  for (const key of draftKeys()) {
    if (!key.startsWith(`${PREFIX}${scope}:`)) storage()?.removeItem(key);
  }
}
