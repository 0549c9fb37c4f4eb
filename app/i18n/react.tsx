/**
 * What our components use of react-i18next, over the pages' own translator
 * (app/i18n/translate.ts, decision 0070): a provider for the page language's translations and
 * `useTranslation(ns)` giving `t` bound to that namespace and `i18n.language`. The names are
 * react-i18next's, so a component reads as it did.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { i18nFor, defaultLocale } from './locales.ts';
import type { PageTranslations } from './translate.ts';

const I18nContext = createContext<PageTranslations | null>(null);

export function I18nextProvider({
  i18n,
  children,
}: {
  i18n: PageTranslations;
  children: ReactNode;
}) {
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useTranslation<N extends string = string>(
  ns?: N,
): { t: TFunction; i18n: PageTranslations } {
  const i18n = useContext(I18nContext) ?? i18nFor(defaultLocale);
  return { t: i18n.getFixedT(null, ns ?? null), i18n };
}
