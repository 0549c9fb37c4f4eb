import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { isLocale } from '../../i18n/locales.ts';
import { CONTENT_PAGES, contentPagePath } from '../content.ts';
import type { MarkdownToken } from '../../ui/markdown-tokens.tsx';
import { ContentTokens } from './content-tokens.tsx';

/**
 * Links to the booking site's pages (guide, FAQ, terms, privacy, contact), for every page of
 * the booking site. A route that renders it declares the `bookingContent` namespace.
 */
export function BookingSiteLinks() {
  const { t } = useTranslation('bookingContent');
  const { lang } = useParams();
  const locale = isLocale(lang) ? lang : 'ja';
  return (
    <nav className="booking-site-links" aria-label={t('links')}>
      <h2>{t('links')}</h2>
      <ul>
        {CONTENT_PAGES.map((page) => (
          <li key={page}>
            <Link to={contentPagePath(locale, page)}>{t(`pages.${page}`)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The published notice of the booking site (staff edit it), for its sign-in page; nothing
 * while none is published. The loader reads it with bookingNotice (content-page.server.ts).
 */
export function BookingNotice({
  notice,
}: {
  notice: { body: MarkdownToken[]; locale: string } | null;
}) {
  const { t } = useTranslation('bookingContent');
  if (!notice || !isLocale(notice.locale)) return null;
  return (
    <section className="notice notice--info" aria-labelledby="booking-notice-title">
      <h2 id="booking-notice-title">{t('notice')}</h2>
      <ContentTokens tokens={notice.body} locale={notice.locale} headingOffset={1} />
    </section>
  );
}
