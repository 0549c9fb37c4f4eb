import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { LinkEndReason } from '../../db/schema.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import { endLinks } from './link-end.server.ts';

/** Access tokens are short-lived and opaque; refresh tokens rotate. Both live in the database. */
export const ACCESS_TOKEN_SECONDS = 600;
export const REFRESH_TOKEN_DAYS = 90;
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

export type AccessLookup =
  | { ok: true; linkId: string; clientId: string; residentId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'client_disabled' | LinkEndReason };

/** What an access token stands for, in one statement (the token row, its link and client). */
export async function lookupAccessToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<AccessLookup> {
  if (!ACCESS_TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const { rows } = await sql<{
    linkId: string;
    accessExpiresAt: Date;
    revokedAt: Date | null;
    clientId: string;
    residentId: string;
    endedAt: Date | null;
    endReason: LinkEndReason | null;
    clientDisabledAt: Date | null;
  }>`
    select t.link_id, t.access_expires_at, t.revoked_at, l.client_id, l.resident_id, l.ended_at,
      l.end_reason, c.disabled_at as client_disabled_at
    from app_refresh_token t
    join app_link l on l.resident_id = t.resident_id and l.id = t.link_id
    join app_client c on c.id = l.client_id
    where t.access_hash = ${sha256(token)}`.execute(db);
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.accessExpiresAt <= now) return { ok: false, reason: 'expired' };
  if (row.endedAt) return { ok: false, reason: row.endReason ?? 'app_unlinked' };
  if (row.clientDisabledAt) return { ok: false, reason: 'client_disabled' };
  if (row.revokedAt) return { ok: false, reason: 'unknown' };
  return { ok: true, linkId: row.linkId, clientId: row.clientId, residentId: row.residentId };
}

/** A new refresh token (a new family unless one is given) and the access token issued with it. */
export async function issueTokenPair(
  db: Db,
  link: { id: string; residentId: string },
  familyId: string | null = null,
  now = new Date(),
): Promise<TokenPair> {
  const refreshToken = `rt1.${randomToken()}`;
  const accessToken = newAccessToken();
  await db
    .insertInto('appRefreshToken')
    .values({
      tokenHash: sha256(refreshToken),
      familyId: familyId ?? sql<string>`gen_random_uuid()`,
      linkId: link.id,
      residentId: link.residentId,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000),
      accessHash: sha256(accessToken),
      accessExpiresAt: accessExpiry(now),
    })
    .execute();
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
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
  token: string,
  clientId: string,
  now = new Date(),
): Promise<RefreshOutcome> {
  if (!token.startsWith('rt1.') || token.length > 200) return { outcome: 'invalid' };
  const hash = sha256(token);
  const refreshToken = `rt1.${randomToken()}`;
  const accessToken = newAccessToken();
  const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000);
  const { rows } = await sql<RotationRow>`
    with presented as (
      select t.family_id, t.link_id, t.expires_at, t.rotated_at, t.revoked_at,
        l.client_id, l.resident_id, l.ended_at, l.end_reason, c.disabled_at as client_disabled_at
      from app_refresh_token t
      join app_link l on l.resident_id = t.resident_id and l.id = t.link_id
      join app_client c on c.id = l.client_id
      where t.token_hash = ${hash}
      for update of t
    ), rotated as (
      update app_refresh_token t set rotated_at = ${now}
      from presented p
      where t.token_hash = ${hash} and t.rotated_at is null and t.revoked_at is null
        and t.expires_at > ${now} and p.client_id = ${clientId}
        and p.ended_at is null and p.client_disabled_at is null
      returning t.resident_id, t.family_id, t.link_id
    ), successor as (
      insert into app_refresh_token
        (resident_id, token_hash, family_id, link_id, expires_at, access_hash, access_expires_at)
      select resident_id, ${sha256(refreshToken)}, family_id, link_id, ${expiresAt},
        ${sha256(accessToken)}, ${accessExpiry(now)}
      from rotated
    ), used as (
      update app_link set last_used_at = ${now} from rotated
      where app_link.resident_id = rotated.resident_id and app_link.id = rotated.link_id
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
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_SECONDS,
    },
    link,
    familyId: row.familyId,
  };
}

/**
 * A rotated token came back: revoke its whole family and end the link ('token_reuse'), which
 * also stops the link's push registrations.
 */
async function revokeFamily(db: Db, row: { familyId: string; linkId: string }, now: Date) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('appRefreshToken')
      .set({ revokedAt: now })
      .where('familyId', '=', row.familyId)
      .where('revokedAt', 'is', null)
      .execute();
    await endLinks(trx, { linkId: row.linkId }, 'token_reuse', now);
  });
}

/** PKCE S256: base64url(sha256(verifier)) must equal the stored challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const stored = Buffer.from(challenge);
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}
