import { type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small, complete, localized HTML page for answers given outside the React layout (a
 * refused cross-site post, a CSV download the person may not have): title, h1, text and a
 * way home. (Also the HTTP front's refusals: too large, not valid form data.) `errorKey` names an entry under common:errors (title and body).
 */
export function plainPage(
  locale: Locale,
  errorKey:
    | 'forbidden'
    | 'crossOrigin'
    | 'tooLarge'
    | 'badRequest'
    | 'methodNotAllowed'
    | 'server'
    | 'unavailable',
  stylesheets: string[] = [],
): string {
  const t = translator(locale);
  return pageShell(locale, {
    title: t(`errors.${errorKey}.title`),
    paragraphs: [t(`errors.${errorKey}.body`)],
    home: true,
    stylesheets,
  });
}

/**
 * The one template of those pages (and of the maintenance page): a title, paragraphs of plain
 * text (escaped here), and with `home` a link to the home page.
 */
export function pageShell(
  locale: Locale,
  page: { title: string; paragraphs: string[]; home?: boolean; stylesheets?: string[] },
): string {
  const t = translator(locale);
  return (
    `<!doctype html><html lang="${locale}" dir="ltr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(t('titleTemplate', { title: page.title }))}</title>` +
    (page.stylesheets ?? [])
      .map((href) => `<link rel="stylesheet" href="${escape(href)}">`)
      .join('') +
    `</head><body><main id="main" class="site-main"><div class="page page--narrow">` +
    `<h1>${escape(page.title)}</h1>` +
    page.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('') +
    (page.home ? `<p><a href="/${locale}/">${escape(t('errors.notFound.home'))}</a></p>` : '') +
    `</div></main></body></html>`
  );
}
