import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import jaCommon from '../locales/ja/common.ts';
import enCommon from '../locales/en/common.ts';
import jaHome from '../locales/ja/home.ts';
import enHome from '../locales/en/home.ts';
import jaIdentity from '../locales/ja/identity.ts';
import enIdentity from '../locales/en/identity.ts';
import jaApi from '../locales/ja/api.ts';
import enApi from '../locales/en/api.ts';
import jaNotices from '../locales/ja/notices.ts';
import enNotices from '../locales/en/notices.ts';
import jaAdmin from '../locales/ja/admin.ts';
import enAdmin from '../locales/en/admin.ts';
import jaAdminAudit from '../locales/ja/adminAudit.ts';
import enAdminAudit from '../locales/en/adminAudit.ts';
import jaAdminResidents from '../locales/ja/adminResidents.ts';
import enAdminResidents from '../locales/en/adminResidents.ts';
import jaAdminStaff from '../locales/ja/adminStaff.ts';
import enAdminStaff from '../locales/en/adminStaff.ts';
import jaAdminNotices from '../locales/ja/adminNotices.ts';
import enAdminNotices from '../locales/en/adminNotices.ts';
import jaTodos from '../locales/ja/todos.ts';
import enTodos from '../locales/en/todos.ts';
import jaInsurance from '../locales/ja/insurance.ts';
import enInsurance from '../locales/en/insurance.ts';
import jaDelivery from '../locales/ja/delivery.ts';
import enDelivery from '../locales/en/delivery.ts';
import jaPush from '../locales/ja/push.ts';
import enPush from '../locales/en/push.ts';

export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ja';

export const resources = {
  ja: {
    common: jaCommon,
    home: jaHome,
    identity: jaIdentity,
    notices: jaNotices,
    api: jaApi,
    admin: jaAdmin,
    adminAudit: jaAdminAudit,
    adminResidents: jaAdminResidents,
    adminStaff: jaAdminStaff,
    adminNotices: jaAdminNotices,
    todos: jaTodos,
    insurance: jaInsurance,
    delivery: jaDelivery,
    push: jaPush,
  },
  en: {
    common: enCommon,
    home: enHome,
    identity: enIdentity,
    notices: enNotices,
    api: enApi,
    admin: enAdmin,
    adminAudit: enAdminAudit,
    adminResidents: enAdminResidents,
    adminStaff: enAdminStaff,
    adminNotices: enAdminNotices,
    todos: enTodos,
    insurance: enInsurance,
    delivery: enDelivery,
    push: enPush,
  },
} as const;

export const namespaces = Object.keys(resources.ja) as (keyof (typeof resources)['ja'])[];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The other locale: the language switch offers it. */
export function otherLocale(locale: Locale): Locale {
  return locale === 'ja' ? 'en' : 'ja';
}

/** BCP 47 tags for Intl, in Asia/Tokyo's calendar conventions. */
export const intlLocale: Record<Locale, string> = { ja: 'ja-JP', en: 'en-GB' };

/**
 * A synchronous i18next instance for one locale: resources are bundled, so server rendering
 * and hydration see the same strings without a network round trip.
 */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    supportedLngs: [...locales],
    resources,
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
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
