import { createHash, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, LinkEndReason } from '../../db/schema.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import { endLinks } from './link-end.server.ts';
import {
  findAccessToken,
  insertRefreshToken,
  revokeTokenFamily,
  rotateRefreshTokenRow,
  type TokenPairHashes,
} from './token.repository.server.ts';

/** Access tokens are short-lived and opaque; refresh tokens rotate. Both live in the database. */
export const ACCESS_TOKEN_SECONDS = 600;
const REFRESH_TOKEN_DAYS = 90;
export const AUTHORIZATION_CODE_SECONDS = 60;

export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

/**
 * An access token is `at2.` and 32 random bytes (base64url): it says nothing to the client — no
 * link, client or resident id, no expiry — so tokens of two clients for one resident cannot be
 * correlated (decision 0017). Only its SHA-256 is stored, on the refresh token row issued with
 * it, so that one indexed statement finds its link and client on every request, and revoking
 * the token family stops it at once.
 */
const ACCESS_TOKEN = /^at2\.[A-Za-z0-9_-]{43}$/;
const newAccessToken = () => `at2.${randomToken()}`;
const accessExpiry = (now: Date) => new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000);

type AccessLookup =
  | { ok: true; linkId: string; clientId: string; residentId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'client_disabled' | LinkEndReason };

/** What an access token stands for, in one statement (the token row, its link and client). */
export async function lookupAccessToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<AccessLookup> {
  if (!ACCESS_TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const row = await findAccessToken(db, sha256(token));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.accessExpiresAt <= now) return { ok: false, reason: 'expired' };
  if (row.endedAt) return { ok: false, reason: row.endReason ?? 'app_unlinked' };
  if (row.clientDisabledAt) return { ok: false, reason: 'client_disabled' };
  if (row.revokedAt) return { ok: false, reason: 'unknown' };
  return { ok: true, linkId: row.linkId, clientId: row.clientId, residentId: row.residentId };
}

/** A fresh refresh token and the access token issued with it, and the hashes that are stored. */
function newTokenPair(now: Date): { pair: TokenPair; hashes: TokenPairHashes } {
  const refreshToken = `rt1.${randomToken()}`;
  const accessToken = newAccessToken();
  return {
    pair: { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS },
    hashes: {
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000),
      accessHash: sha256(accessToken),
      accessExpiresAt: accessExpiry(now),
    },
  };
}

/** A new refresh token (a new family unless one is given) and the access token issued with it. */
export async function issueTokenPair(
  db: Db,
  link: { id: string; residentId: string },
  familyId: string | null = null,
  now = new Date(),
): Promise<TokenPair> {
  const { pair, hashes } = newTokenPair(now);
  await insertRefreshToken(db, link, familyId, hashes);
  return pair;
}

export type RefreshOutcome =
  | {
      outcome: 'ok';
      pair: TokenPair;
      link: { id: string; clientId: string; residentId: string };
      familyId: string;
    }
  | { outcome: 'invalid' | 'expired' | 'client_disabled' }
  | { outcome: 'reused'; linkId: string; familyId: string }
  | { outcome: 'link_ended'; reason: LinkEndReason | null };

/**
 * Rotates a refresh token: the presented one is marked rotated (once: a conditional update), a
 * new one of the same family is issued and the refresh is recorded in the audit log, all in one
 * statement (token.repository.server.ts). A token that was already rotated is a sign of theft:
 * the answer is 'reused', and the caller ends the family with endReusedFamily in the
 * transaction that records it. A disabled client rotates nothing.
 */
export async function rotateRefreshToken(
  db: Db | Transaction<Database>,
  token: string,
  clientId: string,
  audit: { ip: string | null },
  now = new Date(),
): Promise<RefreshOutcome> {
  if (!token.startsWith('rt1.') || token.length > 200) return { outcome: 'invalid' };
  const { pair, hashes } = newTokenPair(now);
  const row = await rotateRefreshTokenRow(db, sha256(token), clientId, hashes, now, audit);
  if (!row || row.clientId !== clientId) return { outcome: 'invalid' };
  if (row.clientDisabledAt) return { outcome: 'client_disabled' };
  if (row.endedAt) return { outcome: 'link_ended', reason: row.endReason };
  if (row.rotatedAt || row.revokedAt)
    return { outcome: 'reused', linkId: row.linkId, familyId: row.familyId };
  if (row.expiresAt <= now) return { outcome: 'expired' };
  if (!row.rotated) return { outcome: 'invalid' };
  const link = { id: row.linkId, clientId: row.clientId, residentId: row.residentId };
  return { outcome: 'ok', pair, link, familyId: row.familyId };
}

/**
 * A rotated token came back: its family is revoked and the link ends, which also stops the
 * link's push registrations.
 */
export async function endReusedFamily(
  trx: Transaction<Database>,
  reused: { linkId: string; familyId: string },
  now = new Date(),
): Promise<void> {
  await revokeTokenFamily(trx, reused.familyId, now);
  await endLinks(trx, { linkId: reused.linkId }, 'token_reuse', now);
}

/** PKCE S256: base64url(sha256(verifier)) must equal the stored challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const stored = Buffer.from(challenge);
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}
