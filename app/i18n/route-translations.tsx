import { useMatches } from '@remix-run/react';
import {
  bundledResources,
  i18nFor,
  isLocale,
  namespaces,
  type Locale,
  type Namespace,
} from './locales.ts';
import { bundleLoaders } from './bundles.ts';

/**
 * Each route names the translation namespaces its page renders (`handle.i18n`, as
 * remix-i18next does); a page needs those of every matched route, the root's included. The
 * document carries exactly these, in its own language only, and the browser loads the rest
 * as it navigates. A unit test checks every route declares what its components use.
 */
export type TranslationsHandle = { i18n?: readonly Namespace[] };

/** The namespaces the matched routes declare, in the fixed order of `namespaces`. */
export function namespacesOf(matches: readonly { handle?: unknown }[]): Namespace[] {
  const wanted = new Set<Namespace>();
  for (const match of matches)
    for (const ns of (match.handle as TranslationsHandle | undefined)?.i18n ?? []) wanted.add(ns);
  return namespaces.filter((ns) => wanted.has(ns));
}

const loading = new Map<string, Promise<void>>();

/** Fetches the bundles of one language that its instance lacks and adds them to it. */
export function loadBundles(locale: Locale, list: readonly Namespace[]): Promise<void> {
  const i18n = i18nFor(locale);
  return Promise.all(
    list.map((ns) => {
      const id = `${locale}/${ns}`;
      let pending = loading.get(id);
      if (!pending) {
        pending = bundleLoaders[locale][ns]().then(
          (module) => void i18n.addResourceBundle(locale, ns, module.default, true, true),
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

/**
 * The namespaces the current page needs, all loaded. When a client-side navigation reaches a
 * route whose namespaces are not loaded yet, this suspends: the router updates its state in a
 * transition, so React keeps showing the previous page until the bundles arrive, and the new
 * page never renders its keys. On the server, and at hydration, nothing is missing.
 */
export function useRouteTranslations(locale: Locale): Namespace[] {
  const list = namespacesOf(useMatches());
  const i18n = i18nFor(locale);
  const missing = list.filter((ns) => !i18n.hasResourceBundle(locale, ns));
  if (missing.length > 0) throw loadBundles(locale, missing);
  return list;
}

export const TRANSLATIONS_ID = 'translations';
type TranslationsData = { lng: Locale; bundles: Partial<Record<Namespace, unknown>> };

/** The bundles as data for the document (`<` escaped: it sits inside a script element). */
export function translationsJson(locale: Locale, list: readonly Namespace[]): string {
  const all = bundledResources?.[locale];
  if (!all) throw new Error('translations are serialized on the server only');
  const data: TranslationsData = {
    lng: locale,
    bundles: Object.fromEntries(list.map((ns) => [ns, all[ns]])),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

let documentJson = '';

/**
 * The page's translations, written into the document by the server. In the browser the
 * element keeps what the server wrote (read once by hydrateTranslations), so hydration
 * matches and later renders change nothing.
 */
export function TranslationsScript({
  locale,
  namespaces: list,
}: {
  locale: Locale;
  namespaces: readonly Namespace[];
}) {
  const json = bundledResources ? translationsJson(locale, list) : documentJson;
  return (
    <script
      id={TRANSLATIONS_ID}
      type="application/json"
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
  for (const [ns, bundle] of Object.entries(data.bundles))
    i18n.addResourceBundle(data.lng, ns, bundle, true, true);
}
