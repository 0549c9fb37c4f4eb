import type { AppContext } from '../context.ts';
import { problem } from './problem.server.ts';
import { readAccessToken } from './tokens.server.ts';
import { linkState } from './link.service.server.ts';
import { ppid } from './ppid.server.ts';

/** Per-token request budget: a steady rate with a burst allowance (token bucket, per process). */
export const RATE_LIMIT = { perSecond: 20, burst: 60 };
const buckets = new Map<string, { tokens: number; at: number }>();

function takeToken(key: string, now = Date.now()): number | null {
  const bucket = buckets.get(key) ?? { tokens: RATE_LIMIT.burst, at: now };
  bucket.tokens = Math.min(
    RATE_LIMIT.burst,
    bucket.tokens + ((now - bucket.at) / 1000) * RATE_LIMIT.perSecond,
  );
  bucket.at = now;
  if (buckets.size > 100_000) buckets.clear(); // bounded memory; a reset only forgives
  buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return null;
  }
  return Math.ceil((1 - bucket.tokens) / RATE_LIMIT.perSecond);
}

export type AppAccess = { linkId: string; clientId: string; residentId: string; ppid: string };

/**
 * Every app resource route starts here: a valid bearer access token whose link still stands,
 * within its rate limit. Failures are problem+json responses (thrown), with a type that tells
 * an expired token (refresh) from a replaced device (link again) from a bad token.
 */
export async function requireAppToken(
  request: Request,
  context: Pick<AppContext, 'db' | 'secrets'>,
): Promise<AppAccess> {
  const header = request.headers.get('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw problem(request, 'unauthorized');
  const claims = readAccessToken(context.secrets, match[1]);
  if (claims === null) throw problem(request, 'unauthorized');
  if (claims === 'expired') throw problem(request, 'token_expired');
  const state = await linkState(context.db, claims.linkId);
  if (!state.live)
    throw problem(request, state.reason === 'replaced' ? 'device_replaced' : 'link_ended');
  const retryAfter = takeToken(claims.linkId);
  if (retryAfter !== null)
    throw problem(request, 'rate_limited', { headers: { 'Retry-After': String(retryAfter) } });
  return { ...claims, ppid: ppid(context.secrets, claims.clientId, claims.residentId) };
}

/** JSON with a strong ETag; answers 304 when the client already has this representation. */
export async function jsonWithEtag(
  request: Request,
  body: unknown,
  status = 200,
): Promise<Response> {
  const text = JSON.stringify(body);
  const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
    .toString('base64url')
    .slice(0, 27);
  const etag = `"${digest}"`;
  const headers = {
    ETag: etag,
    'Cache-Control': 'private, no-cache',
    Vary: 'Authorization, Accept-Language',
  };
  const inm = request.headers.get('If-None-Match');
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
    return new Response(null, { status: 304, headers });
  return new Response(text, {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  });
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
