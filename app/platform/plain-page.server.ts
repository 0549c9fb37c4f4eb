import { translator, type Locale } from '../i18n/locales.ts';

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
  const title = t(`errors.${errorKey}.title`);
  return (
    `<!doctype html><html lang="${locale}" dir="ltr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(t('titleTemplate', { title }))}</title>` +
    stylesheets.map((href) => `<link rel="stylesheet" href="${escape(href)}">`).join('') +
    `</head><body><main id="main" class="site-main"><div class="page page--narrow">` +
    `<h1>${escape(title)}</h1><p>${escape(t(`errors.${errorKey}.body`))}</p>` +
    `<p><a href="/${locale}/">${escape(t('errors.notFound.home'))}</a></p>` +
    `</div></main></body></html>`
  );
}
