import { localeFromPath, negotiateLocale } from '../i18n/negotiate.server.ts';
import { apiLocale, problemUri } from '../api/problem.server.ts';
import { type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';
import { pageShell } from './plain-page.server.ts';

/** Seconds a client is asked to wait when the database cannot answer (decision 0064). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Paths whose clients are programs that read problem+json, whatever the cause: the app API,
 * the credential issuer (OpenID4VCI, the IACA certificate, status lists) and .well-known.
 */
const MACHINE_PATHS = /^\/(?:api|credentials|\.well-known)(?:\/|$)/;

/**
 * Why Madoguchi cannot serve a request now, in its own words: the page's title and paragraphs
 * (plain text), the problem+json's type, title and detail, and how long to wait.
 */
export type UnavailableCause = {
  retryAfterSeconds: number;
  page(locale: Locale): { title: string; paragraphs: string[]; home: boolean };
  problem(locale: Locale): { type: string; title: string; detail?: string };
};

/** A database that is down or a pool that is full (decision 0064). */
export const databaseUnavailable: UnavailableCause = {
  retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  page: (locale) => {
    const t = translator(locale);
    return {
      title: t('errors.unavailable.title'),
      paragraphs: [t('errors.unavailable.body')],
      home: true,
    };
  },
  problem: (locale) => ({
    type: problemUri('unavailable'),
    title: translator(locale)('api:problem.unavailable'),
  }),
};

/**
 * "Temporarily unavailable", as a page or, for machine clients, as problem+json: 503 with
 * Retry-After, never cached, no stack — one answer for every cause (a lost database here, a
 * maintenance window in app/maintenance), each with its own words and wait.
 */
export function unavailableResponse(request: Request, cause: UnavailableCause): Response {
  const headers = {
    'Retry-After': String(Math.max(1, Math.round(cause.retryAfterSeconds))),
    'Cache-Control': 'no-store',
  };
  const { pathname } = new URL(request.url);
  const head = request.method === 'HEAD';
  if (MACHINE_PATHS.test(pathname)) {
    const locale = apiLocale(request);
    const body = { ...cause.problem(locale), status: 503, instance: pathname };
    const { type, title, status, detail, instance } = body;
    return new Response(head ? null : JSON.stringify({ type, title, status, detail, instance }), {
      status: 503,
      headers: {
        'Content-Type': 'application/problem+json; charset=utf-8',
        'Content-Language': locale,
        ...headers,
      },
    });
  }
  const locale = localeFromPath(pathname) ?? negotiateLocale(request);
  return new Response(head ? null : pageShell(locale, cause.page(locale)), {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Language': locale, ...headers },
  });
}

/**
 * postgres.js and server error codes that mean "the database cannot answer now" rather than
 * "this query is wrong": refused or lost connections, a server shutting down or starting up,
 * too many connections, and our own pool deadline.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'POOL_ACQUIRE_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Whether an error (or any error it wraps) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner)))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Remix's handleError sees a loader's error; the HTTP front sees only the 500 page rendered
 * for it. The mark travels on the request's load context under a registered symbol, since
 * the app build and the HTTP front load this module separately.
 */
const MARK = Symbol.for('madoguchi.databaseUnavailable');

export function markDatabaseUnavailable(context: object, error: unknown): void {
  if (isDatabaseUnavailable(error)) (context as Record<symbol, boolean>)[MARK] = true;
}

export function wasDatabaseUnavailable(context: object): boolean {
  return (context as Record<symbol, boolean>)[MARK] === true;
}
