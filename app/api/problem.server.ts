import { type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';
import { acceptedLanguages } from '../i18n/negotiate.server.ts';

/**
 * RFC 9457 problem details for every API error. Each kind has a stable type URI (a URN: it
 * never depends on where Madoguchi is deployed; the API reference at /{lang}/developers/api,
 * also reached from /api/v1/docs, explains each one) and a title localized by Accept-Language.
 */
export const problemTypes = {
  validation: 400,
  unauthorized: 401,
  token_expired: 401,
  device_replaced: 401,
  link_ended: 401,
  client_disabled: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_client: 401,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemType = keyof typeof problemTypes;

export const problemUri = (type: ProblemType) =>
  `urn:madoguchi:problem:${type.replaceAll('_', '-')}`;

type FieldProblem = { field: string; message: string };

export function apiLocale(request: Request): Locale {
  const first = acceptedLanguages(request.headers.get('Accept-Language')).find(
    (l) => l === 'ja' || l === 'en',
  );
  return first === 'en' ? 'en' : 'ja';
}

/**
 * The answer, saying which language its texts are in (RFC 9110 Content-Language). Every JSON
 * answer of the API says it, problems included; the contract test checks that.
 */
export function inLanguage(response: Response, locale: Locale): Response {
  response.headers.set('Content-Language', locale);
  return response;
}

export function problem(
  request: Request,
  type: ProblemType,
  extra: { detail?: string; errors?: FieldProblem[]; headers?: Record<string, string> } = {},
): Response {
  const t = translator(apiLocale(request));
  const status = problemTypes[type];
  const body = {
    type: problemUri(type),
    title: t(`api:problem.${type}`),
    status,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
    instance: new URL(request.url).pathname,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Content-Language': apiLocale(request),
      'Cache-Control': 'no-store',
      ...(status === 401 ? { 'WWW-Authenticate': `Bearer error="invalid_token"` } : {}),
      ...extra.headers,
    },
  });
}

/** zod issues as field problems: `path.to.field: message`. */
export function fieldProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldProblem[] {
  return issues.map((i) => ({
    field: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
}
