import { z } from 'zod';
import { sameOriginPath } from '../platform/links.ts';
import { base64urlBytes, isP256PublicKey } from '../push/keys.ts';

/**
 * The app API's request and response shapes. Routes validate with these, responses are built
 * to them, and /api/v1/openapi.json is generated from them (zod's JSON Schema output), so the
 * document and the behaviour cannot drift apart.
 */
const Lang = z.enum(['ja', 'en']).describe('Language the text is written in');
const Uuid = z.uuid();
/**
 * A URI as JSON Schema's "uri" format means it: RFC 3986 characters and valid %-escapes, checked
 * on the input as sent (z.url() alone trims it and takes whatever a browser would parse,
 * spaces and non-ASCII included).
 */
const Uri = (string: z.ZodString) =>
  string
    .regex(/^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/, 'not a URI')
    .check(z.url());

export const Problem = z
  .object({
    type: z
      .string()
      .describe(
        'A stable URN naming the kind of problem, e.g. urn:madoguchi:problem:device-replaced',
      ),
    title: z.string().describe('Short summary, localized by Accept-Language'),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const TokenRequest = z
  .discriminatedUnion('grant_type', [
    z.object({
      grant_type: z.literal('authorization_code'),
      client_id: z.string().min(3).max(64),
      code: z.string().min(10).max(200),
      redirect_uri: Uri(z.string().max(2000)),
      code_verifier: z.string().min(43).max(128),
    }),
    z.object({
      grant_type: z.literal('refresh_token'),
      client_id: z.string().min(3).max(64),
      refresh_token: z.string().min(10).max(200),
    }),
  ])
  .meta({ id: 'TokenRequest' });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().describe('Seconds the access token stays valid'),
    refresh_token: z.string().describe('Single use: every refresh returns a new one'),
    subject: z.string().describe('The resident’s pairwise identifier (PPID) for this client'),
  })
  .meta({ id: 'TokenResponse' });

export const Me = z
  .object({ subject: z.string(), client_id: z.string(), linked_at: z.iso.datetime() })
  .meta({ id: 'Me' });

export const NoticeSummary = z
  .object({
    id: Uuid,
    kind: z.enum(['broadcast', 'targeted']),
    sender: z.string(),
    lang: Lang,
    title: z.string(),
    published_at: z.iso.datetime(),
    unread: z.boolean(),
  })
  .meta({ id: 'NoticeSummary' });

export const NoticeList = z
  .object({
    items: z.array(NoticeSummary),
    next_cursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null on the last page'),
    unread_count: z.number().int().describe('Unread notices, counted up to 1000'),
  })
  .meta({ id: 'NoticeList' });

/** Items per page of a list: default and bounds of the `limit` query parameter. */
export const PAGE_LIMIT = { default: 20, min: 1, max: 100 } as const;

/**
 * `limit` as a query string carries it: decimal digits only (no sign, spaces, hex or
 * exponent), then bounded. Documented as the integer it is.
 */
const Limit = z
  .string()
  .regex(/^[0-9]+$/, `a whole number from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}`)
  .pipe(z.coerce.number<string>().int().min(PAGE_LIMIT.min).max(PAGE_LIMIT.max))
  .optional()
  .meta({
    type: 'integer',
    minimum: PAGE_LIMIT.min,
    maximum: PAGE_LIMIT.max,
    default: PAGE_LIMIT.default,
    description: `Items per page (default ${PAGE_LIMIT.default})`,
  });

export const NoticeListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: Limit,
  unread: z.enum(['true', 'false']).optional().describe('true: only unread notices'),
  lang: Lang.optional().describe('Preferred language of the texts (default: Accept-Language)'),
});

export const NoticeDetail = z
  .object({
    id: Uuid,
    kind: z.enum(['broadcast', 'targeted']),
    sender: z.string(),
    lang: Lang,
    title: z.string(),
    body_markdown: z.string().describe('Markdown subset; render without raw HTML'),
    published_at: z.iso.datetime(),
  })
  .meta({ id: 'NoticeDetail' });

export const Todo = z
  .object({
    id: Uuid,
    lang: Lang,
    title: z.string(),
    description: z.string().nullable(),
    due_date: z.iso.date().nullable(),
    action_url: z.string().nullable(),
    status: z.enum(['open', 'done', 'dismissed']),
    state: z
      .enum(['open', 'overdue', 'done', 'dismissed'])
      .describe('status with "overdue" worked out in Japan time'),
  })
  .meta({ id: 'Todo' });

export const TodoList = z.object({ items: z.array(Todo) }).meta({ id: 'TodoList' });
export const TodoPatch = z
  .object({ status: z.enum(['done', 'dismissed']) })
  .strict()
  .meta({ id: 'TodoPatch' });

export const Insurance = z
  .object({
    qualifications: z.array(
      z.object({
        insurer_number: z.string(),
        insurer_name: z.string(),
        symbol: z.string(),
        number: z.string(),
        branch: z.string().nullable(),
        qualified_from: z.iso.date(),
        qualified_until: z.iso.date().nullable(),
        copayment_percent: z.union([z.literal(10), z.literal(20), z.literal(30)]),
        state: z.enum(['current', 'future', 'ended']),
      }),
    ),
  })
  .meta({ id: 'Insurance' });

const P256DH = /^[A-Za-z0-9_-]{87}=?$/;

export const PushRegistrationRequest = z
  .discriminatedUnion('channel', [
    z
      .object({
        channel: z.literal('fcm'),
        token: z.string().min(8).max(4096),
        locale: Lang.optional(),
      })
      .strict(),
    z
      .object({
        channel: z.literal('apns'),
        token: z.string().regex(/^[0-9a-fA-F]{64,200}$/),
        locale: Lang.optional(),
      })
      .strict(),
    z
      .object({
        channel: z.literal('webpush'),
        endpoint: Uri(z.string().max(4096).startsWith('https://')),
        keys: z.object({
          p256dh: z
            .string()
            .regex(P256DH, 'must be 65 bytes, base64url')
            // (only judged when the pattern holds, so one field problem is listed once)
            .refine(
              (v) => !P256DH.test(v) || isP256PublicKey(base64urlBytes(v)),
              'not an uncompressed P-256 public key',
            )
            .describe('The subscription’s uncompressed P-256 public key (65 bytes), base64url'),
          auth: z
            .string()
            .regex(/^[A-Za-z0-9_-]{22}(==)?$/, 'must be 16 bytes, base64url')
            .describe('The subscription’s authentication secret (16 bytes), base64url'),
        }),
        locale: Lang.optional(),
      })
      .strict(),
  ])
  .meta({ id: 'PushRegistrationRequest' });

export const PushRegistration = z
  .object({ id: Uuid, channel: z.enum(['fcm', 'apns', 'webpush']) })
  .meta({ id: 'PushRegistration' });

export const SsoRequest = z
  .object({
    path: z
      .string()
      .regex(/^\/(ja|en)(\/[A-Za-z0-9._~\-/%?=&]*)?$/)
      .max(500)
      // The characters alone allow /ja/..//host, which a browser resolves to another host.
      .refine((path) => sameOriginPath(path) !== null, 'leaves the portal')
      .describe(
        'Portal path to open, e.g. /ja/notices; refused if its dot segments lead off the portal',
      ),
  })
  .strict()
  .meta({ id: 'SsoRequest' });

export const SsoResponse = z
  .object({ url: z.url(), expires_at: z.iso.datetime() })
  .meta({ id: 'SsoResponse' });
