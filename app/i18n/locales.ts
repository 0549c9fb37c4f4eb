import type { TFunction } from 'i18next';
import { PageTranslations } from './translate.ts';
import { resources } from './resources.server.ts';

export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ja';

/** The translation namespaces, one file each in app/locales/{ja,en}/. */
export const namespaces = [
  'common',
  'home',
  'identity',
  'notices',
  'api',
  'admin',
  'adminAudit',
  'adminMail',
  'adminOperations',
  'adminMaintenance',
  'adminBrowserReports',
  'adminResidents',
  'adminRenewals',
  'adminStaff',
  'adminNotices',
  'adminTargetExport',
  'adminTargetImport',
  'adminTargets',
  'todos',
  'insurance',
  'delivery',
  'push',
  'session',
  'adminTargetLetters',
  'reservations',
  'adminBookingContent',
  'bookingContent',
  'adminReservations',
  'bookingMail',
  'reservationDays',
  'bookingFlow',
  'waitlist',
  'waitlistMail',
  'operationsMail',
  'portalBooking',
  'credentials',
] as const;
export type Namespace = (typeof namespaces)[number];

/**
 * Every translation, on the server only. Remix replaces `.server` modules with empty ones in
 * the browser build, so there this is undefined and an instance holds only what the document
 * carried and what navigation loaded (app/i18n/route-translations.tsx).
 */
export const bundledResources: typeof resources | undefined = resources;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** BCP 47 tags for Intl, in Asia/Tokyo's calendar conventions. */
export const intlLocale: Record<Locale, string> = { ja: 'ja-JP', en: 'en-GB' };

const instances = new Map<Locale, PageTranslations>();
/**
 * The translations pages render with, one shared instance per language (app/i18n/translate.ts).
 * On the server it holds every translation; in the browser it starts empty and is given the
 * bundles the document carries before hydration, so server rendering and hydration see the
 * same strings. Its language never changes (a page in the other language uses the other
 * instance), so server requests and the browser can all share it.
 */
export function i18nFor(locale: Locale): PageTranslations {
  let instance = instances.get(locale);
  if (!instance) {
    instance = new PageTranslations(locale, bundledResources);
    instances.set(locale, instance);
  }
  return instance;
}

/** A cached translator for pages: loaders, meta, titles (mails and jobs: i18next.server.ts). */
export function translator(locale: Locale): TFunction {
  return i18nFor(locale).t;
}

/** Replace or insert the locale segment of a path: /ja/notices → /en/notices. */
export function localizePath(pathname: string, locale: Locale): string {
  const rest = pathname.replace(/^\/(ja|en)(?=\/|$)/, '');
  return `/${locale}${rest === '' ? '/' : rest}`;
}
