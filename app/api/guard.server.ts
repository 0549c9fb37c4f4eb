import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { problem, type ProblemType } from './problem.server.ts';
import { lookupAccessToken } from './tokens.server.ts';
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

type AppAccess = { linkId: string; clientId: string; residentId: string; ppid: string };

type AccessCheck =
  { ok: true; access: AppAccess } | { ok: false; type: ProblemType; retryAfter?: number };

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * The checks behind every app resource route, without HTTP: a valid access token whose link
 * still stands, within its rate limit. The failure names the problem type to answer with.
 */
export async function checkAccessToken(
  db: Db,
  secrets: Secrets,
  token: string | null,
): Promise<AccessCheck> {
  if (!token) return { ok: false, type: 'unauthorized' };
  const found = await lookupAccessToken(db, token);
  if (!found.ok)
    return {
      ok: false,
      type:
        found.reason === 'unknown'
          ? 'unauthorized'
          : found.reason === 'expired'
            ? 'token_expired'
            : found.reason === 'replaced'
              ? 'device_replaced'
              : found.reason === 'client_disabled'
                ? 'client_disabled'
                : 'link_ended',
    };
  const retryAfter = takeToken(found.linkId);
  if (retryAfter !== null) return { ok: false, type: 'rate_limited', retryAfter };
  return {
    ok: true,
    access: {
      linkId: found.linkId,
      clientId: found.clientId,
      residentId: found.residentId,
      ppid: ppid(secrets, found.clientId, found.residentId),
    },
  };
}

/**
 * Every app resource route starts here: a valid bearer access token whose link still stands,
 * within its rate limit. Failures are problem+json responses (thrown), with a type that tells
 * an expired token (refresh) from a replaced device (link again) from a bad token.
 */
export async function requireAppToken(
  request: Request,
  context: Pick<AppContext, 'db' | 'secrets'>,
): Promise<AppAccess> {
  const check = await checkAccessToken(
    context.db,
    context.secrets,
    bearerToken(request.headers.get('Authorization')),
  );
  if (check.ok) return check.access;
  throw problem(
    request,
    check.type,
    check.retryAfter === undefined ? {} : { headers: { 'Retry-After': String(check.retryAfter) } },
  );
}

/** JSON with a strong ETag; answers 304 when the client already has this representation. */
export async function jsonWithEtag(
  request: Request,
  body: unknown,
  status = 200,
): Promise<Response> {
  const text = JSON.stringify(body);
  const digest = createHash('sha256').update(text).digest('base64url').slice(0, 27);
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
