import { formatDateTime, rangeText } from '../i18n/dates.ts';
import { type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';
import { pageShell } from '../platform/plain-page.server.ts';
import type { UnavailableCause } from '../platform/unavailable.server.ts';
import { messageIn, secondsUntilEnd, type MaintenanceWindow } from './maintenance.ts';

/** "from … to …" in Japan time, as the banner and the page say it. */
export function maintenanceRange(window: MaintenanceWindow, locale: Locale): string {
  return rangeText(
    formatDateTime(window.startsAt, locale),
    formatDateTime(window.endsAt, locale),
    locale,
  );
}

/**
 * A maintenance window as a cause of "unavailable" (app/platform/unavailable.server.ts): the
 * window's words (problem+json for machine clients) and Retry-After until the window ends.
 */
export function maintenanceCause(window: MaintenanceWindow, now = new Date()): UnavailableCause {
  return {
    retryAfterSeconds: secondsUntilEnd(window, now),
    page: (locale) => maintenanceWords(window, locale),
    problem: (locale) => {
      const t = translator(locale);
      return {
        type: 'urn:madoguchi:problem:maintenance',
        title: t('maintenance.title'),
        detail: t('maintenance.when', { range: maintenanceRange(window, locale) }),
      };
    },
  };
}

/** What the maintenance page says: when, the staff's message, and when to come back. */
function maintenanceWords(window: MaintenanceWindow, locale: Locale) {
  const t = translator(locale);
  const message = messageIn(window, locale);
  return {
    title: t('maintenance.title'),
    paragraphs: [
      t('maintenance.when', { range: maintenanceRange(window, locale) }),
      ...(message ? [message] : []),
      t('maintenance.comeBack', { time: formatDateTime(window.endsAt, locale) }),
    ],
    home: false,
  };
}

/** The maintenance page as residents get it, for the staff preview. */
export const maintenancePage = (window: MaintenanceWindow, locale: Locale): string =>
  pageShell(locale, maintenanceWords(window, locale));
