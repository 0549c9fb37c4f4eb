import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { formatDate } from '../i18n/dates.ts';
import { isLocale, translator } from '../i18n/locales.ts';
import { isContentPage } from '../reservations/content.ts';
import { publishedPiece } from '../reservations/content-page.server.ts';
import { ContentTokens } from '../reservations/ui/content-tokens.tsx';
import { markdownTokens } from '../ui/markdown.server.ts';
import { BookingSiteLinks } from '../reservations/ui/site-links.tsx';
import { BOOKING_SIGN_IN_PATH } from '../reservations/booking.ts';

export const handle: RouteHandle = { i18n: ['bookingContent'] };

/**
 * The booking site's pages staff write (decision 0050): guide, FAQ, terms, privacy and
 * contact, as published; public, no sign-in. Other names under /reservations are not pages.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { lang, page } = params;
  if (!isLocale(lang) || !isContentPage(page)) throw new Response('Not Found', { status: 404 });
  const found = await publishedPiece(context, page, lang);
  return {
    page,
    title: translator(lang)(`bookingContent:pages.${page}`),
    body: found ? markdownTokens(found.body) : null,
    updated: found ? formatDate(found.publishedAt, lang) : null,
  };
}

export default function BookingContentPage() {
  const { t } = useTranslation('bookingContent');
  const { lang } = useParams();
  const locale = isLocale(lang) ? lang : 'ja';
  const { title, body, updated } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{title}</h1>
      {body === null ? (
        <p className="notice notice--info">{t('notPublished')}</p>
      ) : (
        <>
          <ContentTokens tokens={body} locale={locale} />
          {updated ? <p className="field__hint">{t('updated', { date: updated })}</p> : null}
        </>
      )}
      <BookingSiteLinks />
      <p>
        <Link to={`/${locale}${BOOKING_SIGN_IN_PATH}`}>{t('toSignIn')}</Link>
      </p>
    </div>
  );
}
