import { defaultLocale, isLocale, type Locale } from './locales.ts';

export const LOCALE_COOKIE = 'lang';

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Languages from Accept-Language, best first (q-values honoured, primary subtag only). */
export function acceptedLanguages(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((l) => l.lang && l.lang !== '*' && l.q > 0 && !Number.isNaN(l.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.lang);
}

/** The locale for a request without one in its URL: cookie, then Accept-Language, then ja. */
export function negotiateLocale(request: Request): Locale {
  const fromCookie = cookieValue(request.headers.get('Cookie'), LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  const accepted = acceptedLanguages(request.headers.get('Accept-Language')).find((l) =>
    isLocale(l),
  );
  return accepted && isLocale(accepted) ? accepted : defaultLocale;
}

/** The locale a URL names in its first segment, if any. */
export function localeFromPath(pathname: string): Locale | undefined {
  const first = pathname.split('/')[1];
  return isLocale(first) ? first : undefined;
}

export function localeCookie(locale: Locale, secure: boolean): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? '; Secure' : ''}`;
}
