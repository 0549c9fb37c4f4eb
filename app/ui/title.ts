import { useMatches } from '@remix-run/react';
import { translator, type Locale } from '../i18n/locales.ts';
import type { TranslationsHandle } from '../i18n/route-translations.tsx';

/**
 * Page titles read "<h1> | Madoguchi". A route names its title as an i18n key in
 * `handle.title`, or its loader returns a ready `title` (a notice's own title); the deepest
 * route that says something wins. The root renders <title> from this on every navigation.
 * `handle.i18n` names the translation namespaces the route's page renders.
 */
export type RouteHandle = { title?: string } & TranslationsHandle;

export function usePageTitle(locale: Locale): string | undefined {
  const matches = useMatches();
  const t = translator(locale);
  for (const match of [...matches].reverse()) {
    const loaded = (match.data as { title?: unknown } | null | undefined)?.title;
    if (typeof loaded === 'string') return loaded;
    const key = (match.handle as RouteHandle | undefined)?.title;
    if (key) return t(key);
  }
  return undefined;
}

export function titleText(locale: Locale, title: string | undefined): string {
  const t = translator(locale);
  return title ? t('titleTemplate', { title }) : t('siteName');
}
