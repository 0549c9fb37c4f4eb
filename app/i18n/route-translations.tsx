import { useEffect, useState, type ReactNode } from 'react';
import { useMatches } from '@remix-run/react';
import {
  bundledResources,
  i18nFor,
  isLocale,
  locales,
  namespaces,
  type Locale,
  type Namespace,
} from './locales.ts';

/**
 * Each route names the translation namespaces its page renders (`handle.i18n`, as
 * remix-i18next does); a page needs those of every matched route, the root's included. The
 * document carries exactly these, in its own language only, and the browser loads the rest
 * as it navigates. A unit test checks every route declares what its components use.
 */
export type TranslationsHandle = {
  i18n?: readonly Namespace[];
  /** Namespaces the page also renders in the other language (a preview of both pages). */
  i18nEveryLanguage?: readonly Namespace[];
};

/** One language's namespace, as the page in `locale` holds it. */
export type BundleId = readonly [Locale, Namespace];

/** The bundles a page in `locale` needs for these matched routes, in a fixed order. */
export function bundlesOf(locale: Locale, matches: readonly { handle?: unknown }[]): BundleId[] {
  const own = new Set<Namespace>();
  const every = new Set<Namespace>();
  for (const match of matches) {
    const handle = match.handle as TranslationsHandle | undefined;
    for (const ns of handle?.i18n ?? []) own.add(ns);
    for (const ns of handle?.i18nEveryLanguage ?? []) every.add(ns);
  }
  return locales.flatMap((lng) =>
    namespaces
      .filter((ns) => every.has(ns) || (lng === locale && own.has(ns)))
      .map((ns): BundleId => [lng, ns]),
  );
}

const loading = new Map<string, Promise<void>>();

/** Fetches the bundles the page language's instance lacks and adds them to it. */
function loadBundles(locale: Locale, list: readonly BundleId[]): Promise<void> {
  const i18n = i18nFor(locale);
  return Promise.all(
    list.map(([lng, ns]) => {
      const id = `${locale}:${lng}/${ns}`;
      let pending = loading.get(id);
      if (!pending) {
        // The table of the 72 bundle chunks (2 KB gz) is itself loaded on the first navigation
        // that needs a bundle, not with every page (decision 0070).
        pending = import('./bundles.ts')
          .then(({ bundleLoaders }) => bundleLoaders[lng][ns]())
          .then(
            (module) => void i18n.addResourceBundle(lng, ns, module.default, true, true),
            (error: unknown) => {
              loading.delete(id);
              // A new release replaced the chunks this page knew: as Remix does when a route
              // module fails to load, fetch the document again (it carries its translations).
              window.location.reload();
              throw error;
            },
          );
        loading.set(id, pending);
      }
      return pending;
    }),
  ).then(() => undefined);
}

/** The bundles the current page needs (loaded or not): what the document carries. */
export function useRouteBundles(locale: Locale): BundleId[] {
  return bundlesOf(locale, useMatches());
}

/**
 * Renders its children once the bundles the current page needs are all loaded. When a
 * client-side navigation reaches a route whose namespaces are not loaded yet, this suspends:
 * the router updates its state in a transition, so React keeps showing the previous page until
 * the bundles arrive, and the new page never renders its keys. On the server, and at
 * hydration, nothing is missing.
 *
 * It must sit inside a Suspense boundary below the document: a render that suspends with no
 * boundary above it, outside a transition (an error retry, a synchronous update in the
 * middle of a navigation), makes React give up on the whole root ("Root did not complete").
 */
export function RouteTranslationsReady({
  locale,
  children,
}: {
  locale: Locale;
  children: ReactNode;
}) {
  const list = useRouteBundles(locale);
  const i18n = i18nFor(locale);
  const missing = list.filter(([lng, ns]) => !i18n.hasResourceBundle(lng, ns));
  if (missing.length > 0) throw loadBundles(locale, missing);
  return children;
}

/**
 * A number that grows each time a bundle is added to the page language's instance: what the
 * document renders outside the boundary (its <title>) reads it, so a page shown after a
 * fallback gets its title from the new bundles too.
 */
export function useBundleVersion(locale: Locale): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const store = i18nFor(locale).store;
    const added = () => setVersion((n) => n + 1);
    store.on('added', added);
    return () => store.off('added', added);
  }, [locale]);
  return version;
}

const TRANSLATIONS_ID = 'translations';
type TranslationsData = {
  lng: Locale;
  bundles: Partial<Record<Locale, Partial<Record<Namespace, unknown>>>>;
};

/**
 * Serialized once per page language and list of bundles (a few dozen for the whole app): the
 * server's resources are fixed for the life of the build, and stringifying them was ~1 % of a
 * page's CPU (decision 0069).
 */
const serialized = new Map<string, string>();

/** The bundles as data for the document (`<` escaped: it sits inside a script element). */
export function translationsJson(locale: Locale, list: readonly BundleId[]): string {
  if (!bundledResources) throw new Error('translations are serialized on the server only');
  const key = `${locale}|${list.join(',')}`;
  const known = serialized.get(key);
  if (known !== undefined) return known;
  const data: TranslationsData = { lng: locale, bundles: {} };
  for (const [lng, ns] of list) (data.bundles[lng] ??= {})[ns] = bundledResources[lng][ns];
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  serialized.set(key, json);
  return json;
}

let documentJson = '';

/**
 * The page's translations, written into the document by the server. In the browser the
 * element keeps what the server wrote (read once by hydrateTranslations), so hydration
 * matches and later renders change nothing.
 */
export function TranslationsScript({
  locale,
  bundles: list,
  nonce,
}: {
  locale: Locale;
  bundles: readonly BundleId[];
  /** Data is never run, but every inline script of a page carries the nonce all the same. */
  nonce: string;
}) {
  const json = bundledResources ? translationsJson(locale, list) : documentJson;
  return (
    <script
      id={TRANSLATIONS_ID}
      type="application/json"
      nonce={nonce}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}

/** Before hydration: gives the page language's instance the bundles the document carries. */
export function hydrateTranslations(): void {
  documentJson = document.getElementById(TRANSLATIONS_ID)?.textContent ?? '';
  if (!documentJson) return;
  const data = JSON.parse(documentJson) as TranslationsData;
  if (!isLocale(data.lng)) return;
  const i18n = i18nFor(data.lng);
  for (const [lng, bundles] of Object.entries(data.bundles))
    for (const [ns, bundle] of Object.entries(bundles))
      i18n.addResourceBundle(lng, ns, bundle, true, true);
}
