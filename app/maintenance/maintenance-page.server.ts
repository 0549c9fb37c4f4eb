import { formatDateTime, rangeText } from '../i18n/dates.ts';
import { translator, type Locale } from '../i18n/locales.ts';
import { messageIn, type MaintenanceWindow } from './maintenance.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "from … to …" in Japan time, as the banner and the page say it. */
export function maintenanceRange(window: MaintenanceWindow, locale: Locale): string {
  return rangeText(
    formatDateTime(window.startsAt, locale),
    formatDateTime(window.endsAt, locale),
    locale,
  );
}

/**
 * The page residents get during a window: complete HTML without scripts or the React layout
 * (the HTTP front answers it before any route runs), in the person's language.
 */
export function maintenancePage(window: MaintenanceWindow, locale: Locale): string {
  const t = translator(locale);
  const title = t('maintenance.title');
  const message = messageIn(window, locale);
  return (
    `<!doctype html><html lang="${locale}" dir="ltr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(t('titleTemplate', { title }))}</title>` +
    `</head><body><main id="main" class="site-main"><div class="page page--narrow">` +
    `<h1>${escape(title)}</h1>` +
    `<p>${escape(t('maintenance.when', { range: maintenanceRange(window, locale) }))}</p>` +
    (message ? `<p>${escape(message)}</p>` : '') +
    `<p>${escape(t('maintenance.comeBack', { time: formatDateTime(window.endsAt, locale) }))}</p>` +
    `</div></main></body></html>`
  );
}

/** RFC 9457 problem details for the JSON API during a window. */
export function maintenanceProblem(window: MaintenanceWindow, locale: Locale, path: string) {
  const t = translator(locale);
  return JSON.stringify({
    type: 'urn:madoguchi:problem:maintenance',
    title: t('maintenance.title'),
    status: 503,
    detail: t('maintenance.when', { range: maintenanceRange(window, locale) }),
    instance: path,
  });
}
