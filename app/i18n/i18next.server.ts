/**
 * i18next, the source of truth for texts outside pages: mails, jobs, problem documents, plain
 * pages written without React. Pages render with app/i18n/translate.ts, which a test proves
 * gives the same strings (decision 0070), so i18next never reaches the browser.
 */
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { userText } from '../ui/user-text.ts';
import { resources } from './resources.server.ts';
import { locales, namespaces, type Locale } from './locales.ts';
import { cacheKey } from './translate.ts';

/** A synchronous i18next instance for one locale, holding every translation. */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    supportedLngs: [...locales],
    resources,
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

const instances = new Map<Locale, I18n>();
/**
 * One shared instance per language. Its language never changes (a page in the other language
 * uses the other instance), so server requests and the browser can all share it; building a
 * fresh one per request cost about a tenth of a page's server time.
 */
function i18nFor(locale: Locale): I18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createI18n(locale);
    instances.set(locale, instance);
  }
  return instance;
}

/** A cached i18next translator for server code outside pages (mails, jobs, problems). */
export function translator(locale: Locale): TFunction {
  return i18nFor(locale).t;
}
