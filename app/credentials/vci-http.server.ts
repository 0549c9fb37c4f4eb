import type { AppContext } from '../context.ts';
import { bearerToken, checkAccessToken } from '../api/guard.server.ts';
import type { z } from 'zod';
import {
  DEFERRED_INTERVAL_SECONDS,
  type AppCaller,
  type Collected,
} from './issuance.service.server.ts';
import { VciError, vciErrorResponse } from './vci-error.ts';

/** Bodies of the issuance endpoints: JSON, at most 64 KiB (the rest is read and dropped). */
const MAX_BODY = 64 * 1024;

export const jsonNoStore = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });

/** The app's access token (the account link's): RFC 6750 invalid_token when it does not hold. */
export async function vciCaller(
  request: Request,
  context: Pick<AppContext, 'db' | 'secrets' | 'clientIp'>,
): Promise<AppCaller> {
  const check = await checkAccessToken(
    context.db,
    context.secrets,
    bearerToken(request.headers.get('Authorization')),
  );
  if (check.ok) return { ...check.access, ip: context.clientIp };
  if (check.type === 'rate_limited')
    throw new Response(JSON.stringify({ error: 'slow_down' }), {
      status: 429,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Retry-After': String(check.retryAfter ?? 1),
      },
    });
  throw new VciError('invalid_token', `the access token is not valid (${check.type})`);
}

/** The JSON body, validated; `invalid` names the error code a bad body answers with. */
export async function vciBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  invalid: 'invalid_credential_request' | 'invalid_notification_request' | 'invalid_transaction_id',
): Promise<z.infer<S>> {
  if (!(request.headers.get('Content-Type') ?? '').toLowerCase().startsWith('application/json'))
    throw new VciError(invalid, 'the body must be application/json');
  const text = await readLimited(request);
  if (text === null) throw new VciError(invalid, 'the body is larger than 64 KiB');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new VciError(invalid, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new VciError(
      invalid,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

async function readLimited(request: Request): Promise<string | null> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  if (size > MAX_BODY) return null;
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs an endpoint: a VciError becomes the spec's JSON error, a thrown Response passes. */
export async function vciEndpoint(
  request: Request,
  methods: string[],
  run: () => Promise<Response>,
): Promise<Response> {
  if (!methods.includes(request.method.toUpperCase()))
    return vciErrorResponse(new VciError('method_not_allowed', 'method not allowed'), {
      Allow: methods.join(', '),
    });
  try {
    return await run();
  } catch (error) {
    if (error instanceof VciError) return vciErrorResponse(error);
    throw error;
  }
}

/** The credentials (200), or 202 with the transaction_id and the interval to poll it at. */
export function issuanceAnswer(outcome: Collected | { pending: true }, transactionId: string) {
  if (!('pending' in outcome)) return jsonNoStore(outcome);
  return jsonNoStore({ transaction_id: transactionId, interval: DEFERRED_INTERVAL_SECONDS }, 202);
}
