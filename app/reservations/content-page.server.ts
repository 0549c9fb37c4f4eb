/**
 * What the booking site's pages read of the editable texts, in the city Madoguchi serves
 * (MADOGUCHI_CITY_CODE, as the staff pages write them).
 */
import type { AppContext } from '../context.ts';
import type { Locale } from '../i18n/locales.ts';
import { markdownTokens } from '../ui/markdown.server.ts';
import { publishedContent } from './content.service.server.ts';
import type { ContentPiece } from './content.ts';

type Context = Pick<AppContext, 'db' | 'env'>;

export function publishedPiece(context: Context, piece: ContentPiece, locale: Locale) {
  return publishedContent(context.db, context.env.MADOGUCHI_CITY_CODE, { piece, locale });
}

/** The sign-in page's notice: `{ body, locale }` for BookingNotice (body lexed), or null. */
export async function bookingNotice(context: Context, locale: Locale) {
  const found = await publishedPiece(context, 'notice', locale);
  return found ? { body: markdownTokens(found.body), locale } : null;
}
