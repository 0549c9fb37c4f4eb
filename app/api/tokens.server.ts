import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { LinkEndReason } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';

/** Access tokens are short-lived and stateless; refresh tokens rotate and live in the database. */
export const ACCESS_TOKEN_SECONDS = 600;
export const REFRESH_TOKEN_DAYS = 90;
export const AUTHORIZATION_CODE_SECONDS = 60;

export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

/**
 * An access token: `at1.<payload>.<mac>`, payload = base64url(JSON {l: link id, c: client id,
 * r: resident id, exp}). The MAC proves we issued it; every request still checks that the link
 * is live, so an ended link (a new device, an unlink) stops its tokens at once.
 */
export function issueAccessToken(
  secrets: Secrets,
  link: { id: string; clientId: string; residentId: string },
  now = new Date(),
): string {
  const payload = Buffer.from(
    JSON.stringify({
      l: link.id,
      c: link.clientId,
      r: link.residentId,
      exp: Math.floor(now.getTime() / 1000) + ACCESS_TOKEN_SECONDS,
    }),
  ).toString('base64url');
  const mac = createHmac('sha256', secrets.key('access-token')).update(payload).digest('base64url');
  return `at1.${payload}.${mac}`;
}

export type AccessClaims = {
  linkId: string;
  clientId: string;
  residentId: string;
  expiresAt: Date;
};

export function readAccessToken(
  secrets: Secrets,
  token: string,
  now = new Date(),
): AccessClaims | 'expired' | null {
  const [prefix, payload, mac] = token.split('.');
  if (prefix !== 'at1' || !payload || !mac) return null;
  const expected = createHmac('sha256', secrets.key('access-token')).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      l: string;
      c: string;
      r: string;
      exp: number;
    };
    if (claims.exp * 1000 <= now.getTime()) return 'expired';
    return {
      linkId: claims.l,
      clientId: claims.c,
      residentId: claims.r,
      expiresAt: new Date(claims.exp * 1000),
    };
  } catch {
    return null;
  }
}

async function insertRefreshToken(
  db: Db,
  linkId: string,
  familyId: string | null,
  now: Date,
): Promise<string> {
  const token = `rt1.${randomToken()}`;
  await db
    .insertInto('appRefreshToken')
    .values({
      tokenHash: sha256(token),
      familyId: familyId ?? sql<string>`gen_random_uuid()`,
      linkId,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000),
    })
    .execute();
  return token;
}

export async function issueTokenPair(
  db: Db,
  secrets: Secrets,
  link: { id: string; clientId: string; residentId: string },
  familyId: string | null = null,
  now = new Date(),
): Promise<TokenPair> {
  return {
    accessToken: issueAccessToken(secrets, link, now),
    refreshToken: await insertRefreshToken(db, link.id, familyId, now),
    expiresIn: ACCESS_TOKEN_SECONDS,
  };
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

type RotationRow = {
  familyId: string;
  linkId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  clientId: string;
  residentId: string;
  endedAt: Date | null;
  endReason: LinkEndReason | null;
  clientDisabledAt: Date | null;
  rotated: boolean;
};

/**
 * Rotates a refresh token: the presented one is marked rotated (once: a conditional update)
 * and a new one of the same family is issued. A token that was already rotated is a sign of
 * theft: the whole family is revoked and the link ends ('token_reuse'). A disabled client
 * rotates nothing.
 *
 * The common case is one statement (one round trip, one commit): `presented` locks the token
 * row and reads its link and client; `rotated` marks it only if it is still unrotated,
 * unrevoked and unexpired and its link and client still stand; the successor token and the
 * link's last use are written only when `rotated` returned a row. Two requests presenting the
 * same token serialize on the row lock; the second sees it rotated and is treated as reuse.
 */
export async function rotateRefreshToken(
  db: Db,
  secrets: Secrets,
  token: string,
  clientId: string,
  now = new Date(),
): Promise<RefreshOutcome> {
  if (!token.startsWith('rt1.') || token.length > 200) return { outcome: 'invalid' };
  const hash = sha256(token);
  const refreshToken = `rt1.${randomToken()}`;
  const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000);
  const { rows } = await sql<RotationRow>`
    with presented as (
      select t.family_id, t.link_id, t.expires_at, t.rotated_at, t.revoked_at,
        l.client_id, l.resident_id, l.ended_at, l.end_reason, c.disabled_at as client_disabled_at
      from app_refresh_token t
      join app_link l on l.id = t.link_id
      join app_client c on c.id = l.client_id
      where t.token_hash = ${hash}
      for update of t
    ), rotated as (
      update app_refresh_token t set rotated_at = ${now}
      from presented p
      where t.token_hash = ${hash} and t.rotated_at is null and t.revoked_at is null
        and t.expires_at > ${now} and p.client_id = ${clientId}
        and p.ended_at is null and p.client_disabled_at is null
      returning t.family_id, t.link_id
    ), successor as (
      insert into app_refresh_token (token_hash, family_id, link_id, expires_at)
      select ${sha256(refreshToken)}, family_id, link_id, ${expiresAt} from rotated
    ), used as (
      update app_link set last_used_at = ${now} from rotated where app_link.id = rotated.link_id
    )
    select p.*, exists (select from rotated) as rotated from presented p`.execute(db);
  const row = rows[0];
  if (!row || row.clientId !== clientId) return { outcome: 'invalid' };
  if (row.clientDisabledAt) return { outcome: 'client_disabled' };
  if (row.endedAt) return { outcome: 'link_ended', reason: row.endReason };
  if (row.rotatedAt || row.revokedAt) {
    await revokeFamily(db, row, now);
    return { outcome: 'reused', linkId: row.linkId, familyId: row.familyId };
  }
  if (row.expiresAt <= now) return { outcome: 'expired' };
  if (!row.rotated) return { outcome: 'invalid' };
  const link = { id: row.linkId, clientId: row.clientId, residentId: row.residentId };
  return {
    outcome: 'ok',
    pair: {
      accessToken: issueAccessToken(secrets, link, now),
      refreshToken,
      expiresIn: ACCESS_TOKEN_SECONDS,
    },
    link,
    familyId: row.familyId,
  };
}

/** A rotated token came back: revoke its whole family and end the link ('token_reuse'). */
async function revokeFamily(db: Db, row: { familyId: string; linkId: string }, now: Date) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('appRefreshToken')
      .set({ revokedAt: now })
      .where('familyId', '=', row.familyId)
      .where('revokedAt', 'is', null)
      .execute();
    await trx
      .updateTable('appLink')
      .set({ endedAt: now, endReason: 'token_reuse' })
      .where('id', '=', row.linkId)
      .where('endedAt', 'is', null)
      .execute();
  });
}

/** PKCE S256: base64url(sha256(verifier)) must equal the stored challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const stored = Buffer.from(challenge);
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}
