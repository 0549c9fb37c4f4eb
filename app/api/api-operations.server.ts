import type { z } from 'zod';
import * as S from './api.schema.ts';
import type { ProblemType } from './problem.server.ts';
import { ACCESS_TOKEN_SECONDS, AUTHORIZATION_CODE_SECONDS } from './tokens.server.ts';
import { RATE_LIMIT } from './guard.server.ts';
import { pushDelivery } from './push-payload.schema.ts';

export type Operation = {
  /** Stable name for generated clients (a method name). */
  operationId: string;
  summary: string;
  description?: string;
  auth?: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyForm?: boolean;
  ok: {
    status: number;
    schema?: z.ZodType;
    description: string;
    /** Answered with an ETag (If-None-Match → 304), Cache-Control private, no-cache and Vary. */
    etag?: boolean;
    /** A 201's Location header: what it names. */
    location?: string;
  };
  /**
   * The problem types this operation can answer with, and nothing else (the contract test
   * fails on any other). `validation` is added for an operation with a query or a body.
   */
  problems: ProblemType[];
};

/** What the bearer token check (guard.server.ts requireAppToken) can answer. */
const TOKEN_CHECK: ProblemType[] = [
  'unauthorized',
  'token_expired',
  'device_replaced',
  'link_ended',
  'client_disabled',
  'rate_limited',
];

/** Every operation of /api/v1, described from the same zod schemas the routes validate with. */
export const operations: Record<
  string,
  Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>
> = {
  '/api/v1/token': {
    post: {
      operationId: 'requestToken',
      summary: 'Exchange an authorization code (PKCE S256) or rotate a refresh token',
      description: `The token endpoint of the account link (securitySchemes.oauth2); no access token needed. authorization_code: the code from the redirect (single use, valid ${AUTHORIZATION_CODE_SECONDS} s), the same redirect_uri and the PKCE code_verifier; it links this device to the resident (one device per resident and client: that client’s previous link ends and its tokens answer device-replaced; links with other clients stay). refresh_token returns a new pair; presenting a refresh token that was already used revokes its whole family and ends the link (invalid-grant, then link-ended). Access tokens are opaque and last ${ACCESS_TOKEN_SECONDS} s. An unknown grant_type answers unsupported-grant-type. After 20 refused grants in 10 minutes from one address for one client, that address answers 429 with Retry-After for that client for 10 minutes.`,
      body: S.TokenRequest,
      bodyForm: true,
      ok: { status: 200, schema: S.TokenResponse, description: 'A new token pair' },
      problems: [
        'validation',
        'unsupported_grant_type',
        'invalid_grant',
        'invalid_client',
        'client_disabled',
        'device_replaced',
        'link_ended',
        'rate_limited',
      ],
    },
  },
  '/api/v1/link': {
    get: {
      operationId: 'getLink',
      summary: 'Who this token speaks for (the PPID)',
      auth: true,
      ok: { status: 200, schema: S.Me, description: 'The link' },
      problems: TOKEN_CHECK,
    },
    delete: {
      operationId: 'deleteLink',
      summary: 'End this device’s link',
      auth: true,
      ok: { status: 204, description: 'Unlinked; every token of the link stops working' },
      problems: TOKEN_CHECK,
    },
  },
  '/api/v1/notices': {
    get: {
      operationId: 'listNotices',
      summary: 'Notices, newest first (cursor pagination)',
      description: `Pages of \`limit\` notices (default ${S.PAGE_LIMIT.default}, at most ${S.PAGE_LIMIT.max}); pass \`next_cursor\` as \`cursor\` for the next page, with the same \`limit\`, \`unread\` and \`lang\`. A page costs the same however deep it is.`,
      auth: true,
      query: S.NoticeListQuery,
      ok: { status: 200, schema: S.NoticeList, description: 'One page', etag: true },
      problems: TOKEN_CHECK,
    },
  },
  '/api/v1/notices/{noticeId}': {
    get: {
      operationId: 'getNotice',
      summary: 'One notice; the first request records the first opening',
      auth: true,
      query: S.NoticeListQuery.pick({ lang: true }),
      ok: { status: 200, schema: S.NoticeDetail, description: 'The notice' },
      problems: [...TOKEN_CHECK, 'not_found'],
    },
  },
  '/api/v1/todos': {
    get: {
      operationId: 'listTodos',
      summary: 'To-dos, in one answer',
      description:
        'Open to-dos first, soonest due first (undated last), then done or dismissed ones, most recently closed first; 200 at most.',
      auth: true,
      ok: { status: 200, schema: S.TodoList, description: 'The to-dos', etag: true },
      problems: TOKEN_CHECK,
    },
  },
  '/api/v1/todos/{todoId}': {
    get: {
      operationId: 'getTodo',
      summary: 'One to-do',
      auth: true,
      ok: { status: 200, schema: S.Todo, description: 'The to-do' },
      problems: [...TOKEN_CHECK, 'not_found'],
    },
    patch: {
      operationId: 'updateTodo',
      summary: 'Mark a to-do done or dismissed (repeating it changes nothing)',
      auth: true,
      body: S.TodoPatch,
      ok: { status: 200, schema: S.Todo, description: 'The to-do after the change' },
      problems: [...TOKEN_CHECK, 'not_found'],
    },
  },
  '/api/v1/insurance': {
    get: {
      operationId: 'listInsuranceQualifications',
      summary: 'Health-insurance qualifications (all of them, in one answer)',
      description: 'Insurers’ names exist in Japanese only: Content-Language is always ja.',
      auth: true,
      ok: { status: 200, schema: S.Insurance, description: 'Current first', etag: true },
      problems: TOKEN_CHECK,
    },
  },
  '/api/v1/push-registrations': {
    post: {
      operationId: 'createPushRegistration',
      summary: 'Register this device for pushes (FCM, APNs or Web Push)',
      description: pushDelivery,
      auth: true,
      body: S.PushRegistrationRequest,
      ok: {
        status: 201,
        schema: S.PushRegistration,
        description: 'Registered (or the same token registered again: the same registration)',
        location: 'The registration: /api/v1/push-registrations/{id}',
      },
      problems: TOKEN_CHECK,
    },
  },
  '/api/v1/push-registrations/{registrationId}': {
    delete: {
      operationId: 'deletePushRegistration',
      summary: 'Stop pushes to a registration',
      auth: true,
      ok: { status: 204, description: 'Unregistered' },
      problems: [...TOKEN_CHECK, 'not_found'],
    },
  },
  '/api/v1/sso': {
    post: {
      operationId: 'createSsoUrl',
      summary: 'A one-time URL (valid 60 s) that opens the portal signed in',
      auth: true,
      body: S.SsoRequest,
      ok: {
        status: 201,
        schema: S.SsoResponse,
        description: 'Open `url` in a browser within 60 seconds, once',
        location: 'The one-time URL (the same as `url`)',
      },
      problems: TOKEN_CHECK,
    },
  },
};

/** What each problem type means for an app, and what to do. */
export const problemAdvice: Record<ProblemType, string> = {
  validation:
    'The query or body is not valid; `errors` names each field (`field`, `message`). Fix the request; sent again unchanged it fails again.',
  unauthorized:
    'No access token, or not one this server issued. Refresh, or link the device again.',
  token_expired: `The access token is past its ${ACCESS_TOKEN_SECONDS} s. Refresh it (POST /api/v1/token, grant_type=refresh_token) and repeat the request.`,
  device_replaced:
    'The resident linked another device, which ended this one’s link. Tell the resident; linking this device again ends the other’s link.',
  link_ended:
    'The link ended: the resident or the app unlinked, or a refresh token was used twice. Link again.',
  client_disabled:
    'Municipal staff stopped this app. Nothing works until they allow it again; links are kept.',
  forbidden: 'Not answered by /api/v1 at present.',
  not_found: 'Nothing with this id belongs to the resident (or the path does not exist).',
  method_not_allowed:
    'The path exists, not with this method; `Allow` lists the methods it takes (HEAD wherever GET).',
  invalid_client: 'client_id is not a registered app client.',
  invalid_grant:
    'The code or refresh token is unknown, expired, already used, or was issued to another client or redirect_uri, or the PKCE verifier does not match. A refresh token used twice also ends the link.',
  unsupported_grant_type: 'grant_type is neither authorization_code nor refresh_token.',
  rate_limited: `Too many requests: each access token may make ${RATE_LIMIT.perSecond} requests/s (bursts of ${RATE_LIMIT.burst}), the token endpoint has its own limit. Wait the Retry-After seconds.`,
  internal: 'Not answered by /api/v1 at present.',
  unavailable:
    'The database is briefly unreachable (restarting, or every connection busy). Nothing was changed: repeat the request after Retry-After seconds.',
};
