import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { userText } from '../ui/user-text.ts';
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

/**
 * A synchronous i18next instance for one locale. On the server it holds every translation;
 * in the browser it starts empty and is given the bundles the document carries before
 * hydration, so server rendering and hydration see the same strings.
 */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    supportedLngs: [...locales],
    resources: bundledResources ?? {},
    partialBundledLanguages: true,
    ns: [...namespaces],
    defaultNS: 'common',
    initAsync: false,
    // React escapes HTML itself; every interpolated value (a name, a title) only has its
    // bidirectional controls shown as codes (app/ui/user-text.ts).
    interpolation: { escapeValue: true, escape: userText },
    returnNull: false,
  });
  memoizePlainLookups(instance);
  return instance;
}

/**
 * Caches the strings of lookups (`t('nav.notices')`, `t('inbox.publishedOn', { date })`): an
 * i18next lookup copies the instance options and walks the resources and the interpolation
 * on every call, about a tenth of a page's server time, and its answer depends only on the key
 * and the options here (fixed language) and on the resources, so the cache is emptied when a
 * bundle is added (a page in the browser loading another route's namespace). Only lookups
 * whose options are all strings, numbers or booleans are cached (not Trans's components or
 * returnObjects), in a cache emptied when it grows past MAX_CACHED entries.
 */
const MAX_CACHED = 10_000;
function memoizePlainLookups(instance: I18n): void {
  type Lookup = (key: unknown, ...rest: unknown[]) => unknown;
  const caches = new Map<string, Map<string, string>>();
  // A key missing from a bundle not yet loaded translates to the key itself: never keep that.
  instance.store.on('added', () => {
    for (const cache of caches.values()) cache.clear();
  });
  const memoize = (translate: Lookup, scope: string): Lookup => {
    let cache = caches.get(scope);
    if (!cache) caches.set(scope, (cache = new Map()));
    const strings = cache;
    return (key, ...rest) => {
      if (typeof key !== 'string' || rest.length > 1) return translate(key, ...rest);
      const options = rest[0];
      const id = options === undefined ? key : cacheKey(key, options);
      if (id === null) return translate(key, ...rest);
      const known = strings.get(id);
      if (known !== undefined) return known;
      const text = translate(key, ...rest);
      if (typeof text === 'string') {
        if (strings.size >= MAX_CACHED) strings.clear();
        strings.set(id, text);
      }
      return text;
    };
  };
  const t = instance.t as unknown as Lookup;
  instance.t = memoize(t, '') as unknown as I18n['t'];
  const getFixedT = instance.getFixedT;
  instance.getFixedT = ((...args: Parameters<I18n['getFixedT']>) => {
    const fixed = getFixedT(...args);
    const [lng, ns, keyPrefix] = args;
    if (typeof keyPrefix === 'function' || (lng != null && typeof lng !== 'string')) return fixed;
    // useTranslation asks for a fixed t on every render: the cache outlives it.
    const scope = JSON.stringify([lng ?? null, ns ?? null, keyPrefix ?? null]);
    return Object.assign(memoize(fixed as unknown as Lookup, scope), fixed);
  }) as I18n['getFixedT'];
}

/** A cache key for a lookup with options, or null when they are not all plain values. */
function cacheKey(key: string, options: unknown): string | null {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
  let id = key;
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    const type = typeof value;
    if (value === undefined) continue;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return null;
    id += `\u0000${name}\u0001${type[0]}${String(value)}`;
  }
  return id;
}

const instances = new Map<Locale, I18n>();
/**
 * One shared instance per language. Its language never changes (a page in the other language
 * uses the other instance), so server requests and the browser can all share it; building a
 * fresh one per request cost about a tenth of a page's server time.
 */
export function i18nFor(locale: Locale): I18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createI18n(locale);
    instances.set(locale, instance);
  }
  return instance;
}

/** A cached translator for server code (loaders, meta, emails). */
export function translator(locale: Locale): TFunction {
  return i18nFor(locale).t;
}
/** Replace or insert the locale segment of a path: /ja/notices → /en/notices. */
export function localizePath(pathname: string, locale: Locale): string {
  const rest = pathname.replace(/^\/(ja|en)(?=\/|$)/, '');
  return `/${locale}${rest === '' ? '/' : rest}`;
}
