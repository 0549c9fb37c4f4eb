import type { Locale } from '../i18n/locales.ts';
import { isUuid } from '../platform/ids.ts';

/** Who sends notices; each has a name in both languages (locale key `notices:sender.<code>`). */
export const senders = [
  'operator',
  'digital_agency',
  'mhlw',
  'soumu',
  'nta',
  'municipality',
] as const;
export type Sender = (typeof senders)[number];

export type NoticeContent = {
  titleJa: string | null;
  titleEn: string | null;
  bodyJa: string | null;
  bodyEn: string | null;
};

/**
 * The version of a notice to show on a page in `locale`: its own language if written, else
 * the other one, with that language's tag so screen readers pronounce it right.
 */
export function pickLanguage(
  content: NoticeContent,
  locale: Locale,
): { lang: Locale; title: string; body: string } {
  const ja =
    content.titleJa !== null
      ? { lang: 'ja' as const, title: content.titleJa, body: content.bodyJa ?? '' }
      : null;
  const en =
    content.titleEn !== null
      ? { lang: 'en' as const, title: content.titleEn, body: content.bodyEn ?? '' }
      : null;
  const chosen = locale === 'en' ? (en ?? ja) : (ja ?? en);
  if (!chosen) throw new Error('a notice has no title in any language');
  return chosen;
}

/** Keyset cursor for the inbox: the last item's (publishAt, id), opaque to the page. */
export type InboxCursor = { publishAt: Date; id: string };

export function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(`${cursor.publishAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string | null | undefined): InboxCursor | null {
  if (!value) return null;
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const publishAt = new Date(at ?? '');
  // Only dates a notice can have (and PostgreSQL can hold); anything else is no cursor.
  const year = publishAt.getUTCFullYear();
  if (Number.isNaN(year) || year < 1970 || year > 9999 || !id || !isUuid(id)) return null;
  return { publishAt, id };
}
