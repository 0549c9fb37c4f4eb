import { z } from 'zod';
import * as S from './api.schema.ts';
import { problemTypes, problemUri } from './problem.server.ts';
import { ACCESS_TOKEN_SECONDS } from './tokens.server.ts';
import { RATE_LIMIT } from './guard.server.ts';

type Operation = {
  summary: string;
  description?: string;
  auth?: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyForm?: boolean;
  ok: { status: number; schema?: z.ZodType; description: string; etag?: boolean };
  problems: number[];
};

/** Every operation of /api/v1, described from the same zod schemas the routes validate with. */
export const operations: Record<
  string,
  Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>
> = {
  '/api/v1/token': {
    post: {
      summary: 'Exchange an authorization code (PKCE S256) or rotate a refresh token',
      description:
        'authorization_code links this device to the resident (one device per resident and client: that client’s previous link ends and its tokens answer device-replaced; links with other clients stay). refresh_token returns a new pair; presenting a refresh token that was already used revokes its whole family and ends the link. Access tokens are opaque. An unknown grant_type answers unsupported-grant-type. After 20 refused grants in 10 minutes from one address for one client, that address answers 429 with Retry-After for that client for 10 minutes.',
      body: S.TokenRequest,
      bodyForm: true,
      ok: { status: 200, schema: S.TokenResponse, description: 'A new token pair' },
      problems: [400, 401, 429],
    },
  },
  '/api/v1/link': {
    get: {
      summary: 'Who this token speaks for (the PPID)',
      auth: true,
      ok: { status: 200, schema: S.Me, description: 'The link' },
      problems: [401, 429],
    },
    delete: {
      summary: 'End this device’s link',
      auth: true,
      ok: { status: 204, description: 'Unlinked; every token of the link stops working' },
      problems: [401, 429],
    },
  },
  '/api/v1/notices': {
    get: {
      summary: 'Notices, newest first (cursor pagination)',
      auth: true,
      query: S.NoticeListQuery,
      ok: { status: 200, schema: S.NoticeList, description: 'One page', etag: true },
      problems: [400, 401, 429],
    },
  },
  '/api/v1/notices/{noticeId}': {
    get: {
      summary: 'One notice; the first request records the first opening',
      auth: true,
      query: S.NoticeListQuery.pick({ lang: true }),
      ok: { status: 200, schema: S.NoticeDetail, description: 'The notice' },
      problems: [400, 401, 404, 429],
    },
  },
  '/api/v1/todos': {
    get: {
      summary: 'To-dos',
      auth: true,
      ok: { status: 200, schema: S.TodoList, description: 'All to-dos', etag: true },
      problems: [401, 429],
    },
  },
  '/api/v1/todos/{todoId}': {
    get: {
      summary: 'One to-do',
      auth: true,
      ok: { status: 200, schema: S.Todo, description: 'The to-do' },
      problems: [401, 404, 429],
    },
    patch: {
      summary: 'Mark a to-do done or dismissed (repeating it changes nothing)',
      auth: true,
      body: S.TodoPatch,
      ok: { status: 200, schema: S.Todo, description: 'The to-do after the change' },
      problems: [400, 401, 404, 429],
    },
  },
  '/api/v1/insurance': {
    get: {
      summary: 'Health-insurance qualifications',
      auth: true,
      ok: { status: 200, schema: S.Insurance, description: 'Current first', etag: true },
      problems: [401, 429],
    },
  },
  '/api/v1/push-registrations': {
    post: {
      summary: 'Register this device for pushes (FCM, APNs or Web Push)',
      auth: true,
      body: S.PushRegistrationRequest,
      ok: { status: 201, schema: S.PushRegistration, description: 'Registered' },
      problems: [400, 401, 429],
    },
  },
  '/api/v1/push-registrations/{registrationId}': {
    delete: {
      summary: 'Stop pushes to a registration',
      auth: true,
      ok: { status: 204, description: 'Unregistered' },
      problems: [401, 404, 429],
    },
  },
  '/api/v1/sso': {
    post: {
      summary: 'A one-time URL (valid 60 s) that opens the portal signed in',
      auth: true,
      body: S.SsoRequest,
      ok: {
        status: 201,
        schema: S.SsoResponse,
        description: 'Open `url` in a browser within 60 seconds, once',
      },
      problems: [400, 401, 429],
    },
  },
};

type JsonSchema = Record<string, unknown>;

/**
 * zod lets a later check such as .startsWith() overwrite the format of z.url() with its own
 * name ("starts_with", not a JSON Schema format); the check itself stays in `pattern`. Put the
 * string's own format back.
 */
const CHECK_NAMES = new Set(['starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase']);
const FORMAT_NAMES: Record<string, string> = { url: 'uri', guid: 'uuid', datetime: 'date-time' };
function keepStringFormat(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) {
  const format = ctx.jsonSchema.format;
  if (typeof format !== 'string' || !CHECK_NAMES.has(format)) return;
  const own = (ctx.zodSchema as { _zod: { def: { format?: unknown } } })._zod.def.format;
  if (typeof own === 'string' && !CHECK_NAMES.has(own))
    ctx.jsonSchema.format = FORMAT_NAMES[own] ?? own;
  else delete ctx.jsonSchema.format;
}

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
  for (const [path, methods] of Object.entries(operations)) {
    paths[path] = {};
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
      const responses: Record<string, unknown> = {
        [String(op.ok.status)]: {
          description: op.ok.description,
          ...(op.ok.etag ? { headers: { ETag: { schema: { type: 'string' } } } } : {}),
          ...(op.ok.schema
            ? { content: { 'application/json': { schema: json(op.ok.schema) } } }
            : {}),
        },
        ...(op.ok.etag ? { '304': { description: 'Not modified (If-None-Match matched)' } } : {}),
      };
      // Whatever validates a query or a body can answer 400, listed or not.
      const problemStatuses = [...new Set([...op.problems, ...(op.query || op.body ? [400] : [])])];
      for (const status of problemStatuses.sort((a, b) => a - b)) {
        responses[String(status)] = {
          description: Object.entries(problemTypes)
            .filter(([, s]) => s === status)
            .map(([type]) => problemUri(type as keyof typeof problemTypes))
            .join(', '),
          ...(status === 429
            ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } }
            : {}),
          content: { 'application/problem+json': { schema: json(S.Problem) } },
        };
      }
      paths[path][method] = {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(op.auth ? { security: [{ bearer: [] }] } : {}),
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
  return {
    openapi: '3.1.0',
    info: {
      title: 'Madoguchi app API',
      version: '1.0.0',
      description: `Residents are identified to each client by a pairwise identifier (PPID) only. Access tokens last ${ACCESS_TOKEN_SECONDS} s; refresh tokens rotate on every use. Each token may make ${RATE_LIMIT.perSecond} requests/s (bursts of ${RATE_LIMIT.burst}); beyond that: 429 with Retry-After. Errors are RFC 9457 problem+json. No string may contain U+0000 (400). Account linking starts in a browser at /{lang}/app/authorize?response_type=code&client_id=…&redirect_uri=…&code_challenge=…&code_challenge_method=S256&state=…`,
    },
    servers: [{ url: origin }],
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths,
  };
}
