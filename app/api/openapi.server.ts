import { z } from 'zod';
import * as S from './api.schema.ts';
import {
  ApnsPayload,
  CredentialRevokedWebPushPayload,
  FcmMessage,
  WebPushPayload,
} from './push-payload.schema.ts';
import { problemTypes, problemUri, type ProblemType } from './problem.server.ts';
import { ACCESS_TOKEN_SECONDS, AUTHORIZATION_CODE_SECONDS } from './tokens.server.ts';
import { RATE_LIMIT } from './guard.server.ts';
import { operations, problemAdvice, type Operation } from './api-operations.server.ts';
import { openId4VciReference } from '../credentials/issuer-metadata.server.ts';

export { operations, problemAdvice };

/** The human-readable reference (app/routes/$lang.developers.api.tsx). */
export const referencePath = (lang: 'ja' | 'en') => `/${lang}/developers/api`;

type JsonSchema = Record<string, unknown>;

/**
 * zod lets a later check such as .startsWith() overwrite the format of z.url() with its own
 * name ("starts_with", not a JSON Schema format); the check itself stays in `pattern`. Put the
 * string's own format back. A query parameter read from digits (`limit`) is documented as the
 * integer it is: its string pattern does not apply.
 */
const CHECK_NAMES = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);
const FORMAT_NAMES: Record<string, string> = { url: 'uri', guid: 'uuid', datetime: 'date-time' };
function keepStringFormat(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) {
  if (ctx.jsonSchema.type === 'integer') delete ctx.jsonSchema.pattern;
  const format = ctx.jsonSchema.format;
  if (typeof format !== 'string' || !CHECK_NAMES.has(format)) return;
  const own = (ctx.zodSchema as { _zod: { def: { format?: unknown } } })._zod.def.format;
  if (typeof own === 'string' && !CHECK_NAMES.has(own))
    ctx.jsonSchema.format = FORMAT_NAMES[own] ?? own;
  else delete ctx.jsonSchema.format;
}

const ref = (kind: 'headers' | 'responses' | 'schemas', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** Headers the API sends, described once (components.headers). */
export const headers = {
  ContentLanguage: {
    description:
      'Language of the texts in the body (ja or en): the language asked for (Accept-Language, or `lang`), or the one the text exists in',
    required: true,
    schema: { type: 'string', enum: ['ja', 'en'] },
  },
  CacheControlNoStore: {
    description: 'no-store: personal data, not to be cached',
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  CacheControlRevalidate: {
    description:
      'private, no-cache: the app may keep the answer but must revalidate it with If-None-Match',
    required: true,
    schema: { type: 'string', const: 'private, no-cache' },
  },
  ETag: {
    description: 'Strong validator of this representation; send it as If-None-Match',
    required: true,
    schema: { type: 'string' },
  },
  Vary: {
    description: 'The answer depends on the token and the language',
    required: true,
    schema: { type: 'string', const: 'Authorization, Accept-Language' },
  },
  WWWAuthenticate: {
    description: 'Bearer error="invalid_token" (RFC 6750)',
    required: true,
    schema: { type: 'string' },
  },
  RetryAfter: {
    description: 'Seconds to wait before the next request',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
  Allow: {
    description: 'The methods this path takes',
    required: true,
    schema: { type: 'string', example: 'GET, HEAD' },
  },
} as const;

/**
 * The problem types that some operation, or any path (405; 503 while the database cannot
 * answer, decision 0064), can answer with.
 */
export function answeredProblemTypes(): ProblemType[] {
  const used = new Set<ProblemType>(['method_not_allowed', 'unavailable']);
  for (const methods of Object.values(operations))
    for (const op of Object.values(methods)) for (const t of problemsOf(op)) used.add(t);
  return (Object.keys(problemTypes) as ProblemType[]).filter((t) => used.has(t));
}

/** An operation's problem types: its own, and `validation` wherever a query or body is read. */
export const problemsOf = (op: Operation): ProblemType[] => [
  ...new Set<ProblemType>([
    ...(op.query || op.body ? (['validation'] as const) : []),
    ...op.problems,
  ]),
];

/** The account link, step by step (the security scheme's description and the reference page). */
export const authFlowIntro =
  'Account link: the OAuth 2.0 authorization code flow (RFC 6749) for a public client (no client secret) with PKCE (RFC 7636, code_challenge_method S256 only).';
export const authFlowSteps = [
  'Open in a browser (the system browser, ASWebAuthenticationSession or Custom Tabs, not a web view) /ja/app/authorize or /en/app/authorize (the consent page’s language) with: response_type=code, client_id, redirect_uri (exactly one the client registered), code_challenge (base64url SHA-256 of a code_verifier of 43 to 128 characters), code_challenge_method=S256, state (recommended, up to 500 characters, returned as sent), device_name (optional, up to 100 characters: shown to the resident among their linked devices). The resident signs in with a passkey and agrees.',
  `The browser is sent to redirect_uri with, on consent: code (single use, valid ${AUTHORIZATION_CODE_SECONDS} s), state, iss; when the resident declines: error=access_denied, state, iss. iss is this server’s origin (RFC 9207): check it is the server you started at. A request that is not valid (unknown client, redirect_uri not registered, missing PKCE) is not redirected: the page tells the resident.`,
  `POST /api/v1/token with grant_type=authorization_code, client_id, code, redirect_uri and code_verifier: an access token (Bearer, ${ACCESS_TOKEN_SECONDS} s) and a refresh token (single use: each refresh returns a new one). One linked device per resident and client: a new link of the same client ends the previous one; links with other clients stay.`,
];
const authFlow = [authFlowIntro, ...authFlowSteps.map((step, i) => `${i + 1}. ${step}`)].join('\n');

export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  // zod puts schemas named with .meta({ id }) into the schema's own $defs and points at them
  // with "#/$defs/…"; inside an OpenAPI document "#" is the document itself, so those
  // references would dangle. Named schemas move to components.schemas instead.
  const components: Record<string, JsonSchema> = {};
  const json = (schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
    const {
      $schema: _dialect,
      $defs,
      ...rest
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      override: keepStringFormat,
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const moved = (value: JsonSchema) =>
      JSON.parse(
        JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'),
      ) as JsonSchema;
    for (const [id, def] of Object.entries($defs ?? {})) {
      const schemaOfId = moved(def);
      const known = components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(schemaOfId))
        throw new Error(`OpenAPI: two different schemas named ${id}`);
      components[id] = schemaOfId;
    }
    return moved(rest);
  };
  const problemSchema = json(S.Problem);
  /** A problem response listing exactly these types (enum), so that a client can switch on them. */
  const problemResponse = (status: number, types: ProblemType[]) => ({
    description: types.map((t) => `${problemUri(t)}: ${problemAdvice[t]}`).join('\n'),
    headers: {
      'Content-Language': ref('headers', 'ContentLanguage'),
      'Cache-Control': ref('headers', 'CacheControlNoStore'),
      ...(status === 401 ? { 'WWW-Authenticate': ref('headers', 'WWWAuthenticate') } : {}),
      ...(status === 429 ? { 'Retry-After': ref('headers', 'RetryAfter') } : {}),
      ...(status === 405 ? { Allow: ref('headers', 'Allow') } : {}),
    },
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            problemSchema,
            {
              properties: {
                type: { enum: types.map(problemUri) },
                status: { const: status },
              },
            },
          ],
        },
      },
    },
  });

  for (const [path, methods] of Object.entries(operations)) {
    const allowed = Object.keys(methods).map((m) => m.toUpperCase());
    if (allowed.includes('GET')) allowed.push('HEAD');
    paths[path] = {
      description: `Other methods than ${allowed.join(', ')}: 405 method-not-allowed (components.responses.MethodNotAllowed).`,
    };
    for (const [method, op] of Object.entries(methods)) {
      const parameters = [
        ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
          name: m[1],
          in: 'path',
          required: true,
          schema: { type: 'string', format: 'uuid' },
        })),
        ...(op.query
          ? Object.entries(
              (json(op.query, 'input').properties ?? {}) as Record<string, unknown>,
            ).map(([name, schema]) => ({
              name,
              in: 'query',
              required: false,
              schema,
            }))
          : []),
        {
          name: 'Accept-Language',
          in: 'header',
          required: false,
          schema: { type: 'string', example: 'ja' },
          description: 'ja (default) or en: language of texts and problem titles',
        },
        ...(op.ok.etag
          ? [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }]
          : []),
      ];
      const okHeaders = op.ok.schema
        ? {
            'Content-Language': ref('headers', 'ContentLanguage'),
            'Cache-Control': ref(
              'headers',
              op.ok.etag ? 'CacheControlRevalidate' : 'CacheControlNoStore',
            ),
            ...(op.ok.etag ? { ETag: ref('headers', 'ETag'), Vary: ref('headers', 'Vary') } : {}),
            ...(op.ok.location
              ? {
                  Location: {
                    description: op.ok.location,
                    required: true,
                    schema: { type: 'string', format: 'uri-reference' },
                  },
                }
              : {}),
          }
        : {};
      const responses: Record<string, unknown> = {
        [String(op.ok.status)]: {
          description: op.ok.description,
          ...(Object.keys(okHeaders).length > 0 ? { headers: okHeaders } : {}),
          ...(op.ok.schema
            ? { content: { 'application/json': { schema: json(op.ok.schema) } } }
            : {}),
        },
        ...(op.ok.etag
          ? {
              '304': {
                description: 'Not modified (If-None-Match matched)',
                headers: {
                  ETag: ref('headers', 'ETag'),
                  'Cache-Control': ref('headers', 'CacheControlRevalidate'),
                  Vary: ref('headers', 'Vary'),
                },
              },
            }
          : {}),
      };
      const byStatus = new Map<number, ProblemType[]>();
      for (const type of problemsOf(op))
        byStatus.set(problemTypes[type], [...(byStatus.get(problemTypes[type]) ?? []), type]);
      for (const [status, types] of [...byStatus].sort(([a], [b]) => a - b))
        responses[String(status)] = problemResponse(status, types);
      paths[path][method] = {
        operationId: op.operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        security: op.auth ? [{ oauth2: [] }] : [],
        parameters,
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': { schema: json(op.body, 'input') },
                  ...(op.bodyForm
                    ? { 'application/x-www-form-urlencoded': { schema: json(op.body, 'input') } }
                    : {}),
                },
              },
            }
          : {}),
        responses,
      };
    }
  }
  // Documentation only: what a push delivers (see the push-registrations operation).
  for (const schema of [WebPushPayload, FcmMessage, ApnsPayload, CredentialRevokedWebPushPayload])
    json(schema);

  return {
    openapi: '3.1.0',
    info: {
      title: 'Madoguchi app API',
      version: '1.0.0',
      description: `Human-readable reference: ${origin}${referencePath('ja')} (日本語) and ${origin}${referencePath('en')} (English).

Residents are identified to each client by a pairwise identifier (PPID) only. Every operation but the token endpoint needs an access token from the account link (securitySchemes.oauth2): access tokens last ${ACCESS_TOKEN_SECONDS} s; refresh tokens rotate on every use. Each access token may make ${RATE_LIMIT.perSecond} requests/s (bursts of ${RATE_LIMIT.burst}); beyond that: 429 with Retry-After.

Errors are RFC 9457 problem+json with a stable type URN (urn:madoguchi:problem:…); each operation lists the types it can answer with. A method a path does not take answers 405 method-not-allowed with Allow (HEAD is allowed wherever GET is). No string may contain U+0000 (400). Every answer carries X-Request-Id: quote it when reporting a problem.

Headers: every JSON answer has Content-Language (ja or en) and Cache-Control (no-store, or private, no-cache with ETag and Vary on lists the app can revalidate with If-None-Match → 304); 201 has Location; 401 has WWW-Authenticate; 429 has Retry-After.

${authFlow}

Pushes: see createPushRegistration and components.schemas WebPushPayload, FcmMessage, ApnsPayload, CredentialRevokedWebPushPayload.

${openId4VciReference(origin)}`,
    },
    externalDocs: { description: 'API reference', url: `${origin}${referencePath('en')}` },
    servers: [{ url: origin }],
    components: {
      schemas: components,
      headers,
      responses: {
        MethodNotAllowed: problemResponse(405, ['method_not_allowed']),
      },
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description: authFlow,
          flows: {
            authorizationCode: {
              authorizationUrl: `${origin}/ja/app/authorize`,
              tokenUrl: `${origin}/api/v1/token`,
              refreshUrl: `${origin}/api/v1/token`,
              scopes: {},
            },
          },
          'x-code-challenge-methods-supported': ['S256'],
          'x-authorization-response-iss-parameter-supported': true,
        },
      },
    },
    paths,
  };
}
