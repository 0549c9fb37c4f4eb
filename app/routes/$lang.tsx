import { Outlet } from '@remix-run/react';
import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { isLocale } from '../i18n/locales.ts';
import { negotiateLocale } from '../i18n/negotiate.server.ts';

/**
 * Every page lives under /ja/… or /en/…. A path without a language (an old bookmark,
 * a typed /notices) is sent to the same path in the person's language.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  if (isLocale(params.lang)) return null;
  const url = new URL(request.url);
  return redirect(`/${negotiateLocale(request)}${url.pathname}${url.search}`, {
    headers: { Vary: 'Cookie, Accept-Language' },
  });
}

export default function LocaleLayout() {
  return <Outlet />;
}
