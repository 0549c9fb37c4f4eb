/**
 * Every query of refresh tokens and the access tokens issued with them (one row holds both
 * hashes, decision 0017). The first argument is the database or the caller's transaction.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type {
  AppClientTable,
  AppLinkTable,
  AppRefreshTokenTable,
  Database,
} from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

type TokenRow = Selectable<AppRefreshTokenTable>;
type LinkRow = Selectable<AppLinkTable>;
/** A token's link and client, as the statements below join them. */
type LinkAndClient = Pick<LinkRow, 'clientId' | 'residentId' | 'endedAt' | 'endReason'> & {
  clientDisabledAt: Selectable<AppClientTable>['disabledAt'];
};

type AccessTokenRow = Pick<TokenRow, 'linkId' | 'revokedAt'> &
  LinkAndClient & { accessExpiresAt: Date };

/** The token row of an access token's hash, with its link and client: one indexed statement. */
export async function findAccessToken(
  db: Conn,
  accessHash: Buffer,
): Promise<AccessTokenRow | undefined> {
  const { rows } = await sql<AccessTokenRow>`
    select t.link_id, t.access_expires_at, t.revoked_at, l.client_id, l.resident_id, l.ended_at,
      l.end_reason, c.disabled_at as client_disabled_at
    from app_refresh_token t
    join app_link l on l.resident_id = t.resident_id and l.id = t.link_id
    join app_client c on c.id = l.client_id
    where t.access_hash = ${accessHash}`.execute(db);
  return rows[0];
}

/** What is stored of a new token pair (hashes only, never the tokens). */
export type TokenPairHashes = Pick<TokenRow, 'tokenHash' | 'expiresAt'> & {
  accessHash: Buffer;
  accessExpiresAt: Date;
};

/** A refresh token row (a new family unless one is given) with its access token's hash. */
export async function insertRefreshToken(
  db: Conn,
  link: { id: string; residentId: string },
  familyId: string | null,
  hashes: TokenPairHashes,
): Promise<void> {
  await db
    .insertInto('appRefreshToken')
    .values({
      ...hashes,
      linkId: link.id,
      residentId: link.residentId,
      familyId: familyId ?? sql<string>`gen_random_uuid()`,
    })
    .execute();
}

type RotationRow = Pick<TokenRow, 'familyId' | 'linkId' | 'expiresAt' | 'rotatedAt' | 'revokedAt'> &
  LinkAndClient & { rotated: boolean };

/**
 * One statement (one round trip): `presented` locks the token row and reads its link and
 * client; `rotated` marks it only if it is still unrotated, unrevoked and unexpired and its link
 * and client still stand; the successor and the link's last use are written only when `rotated`
 * returned a row, and so is the refresh's audit entry ('app.token_refresh', success, unsealed
 * like every entry: decision 0032), so the rotation and its entry commit together in one round
 * trip. Two requests presenting the same token serialize on the row lock; the second sees it
 * rotated. Undefined when no token has this hash.
 */
export async function rotateRefreshTokenRow(
  db: Conn,
  presentedHash: Buffer,
  clientId: string,
  successor: TokenPairHashes,
  now: Date,
  audit: { ip: string | null },
): Promise<RotationRow | undefined> {
  const { rows } = await sql<RotationRow>`
    with presented as (
      select t.family_id, t.link_id, t.expires_at, t.rotated_at, t.revoked_at,
        l.client_id, l.resident_id, l.ended_at, l.end_reason, c.disabled_at as client_disabled_at
      from app_refresh_token t
      join app_link l on l.resident_id = t.resident_id and l.id = t.link_id
      join app_client c on c.id = l.client_id
      where t.token_hash = ${presentedHash}
      for update of t
    ), rotated as (
      update app_refresh_token t set rotated_at = ${now}
      from presented p
      where t.token_hash = ${presentedHash} and t.rotated_at is null and t.revoked_at is null
        and t.expires_at > ${now} and p.client_id = ${clientId}
        and p.ended_at is null and p.client_disabled_at is null
      returning t.resident_id, t.family_id, t.link_id
    ), successor as (
      insert into app_refresh_token
        (resident_id, token_hash, family_id, link_id, expires_at, access_hash, access_expires_at)
      select resident_id, ${successor.tokenHash}, family_id, link_id, ${successor.expiresAt},
        ${successor.accessHash}, ${successor.accessExpiresAt}
      from rotated
    ), used as (
      update app_link set last_used_at = ${now} from rotated
      where app_link.resident_id = rotated.resident_id and app_link.id = rotated.link_id
    ), audited as (
      insert into audit_log
        (actor_type, actor_id, on_behalf_of_resident_id, action, outcome, ip, details)
      select 'app', ${clientId}, resident_id, 'app.token_refresh', 'success', ${audit.ip}::inet,
        jsonb_build_object('linkId', link_id)
      from rotated
    )
    select p.*, exists (select from rotated) as rotated from presented p`.execute(db);
  return rows[0];
}

/** Revokes every unrevoked token of a family. */
export async function revokeTokenFamily(db: Conn, familyId: string, now: Date): Promise<void> {
  await db
    .updateTable('appRefreshToken')
    .set({ revokedAt: now })
    .where('familyId', '=', familyId)
    .where('revokedAt', 'is', null)
    .execute();
}

/** Revokes every unrevoked token of these links (their access tokens stop with them). */
export async function revokeTokensOfLinks(db: Conn, linkIds: string[], now: Date): Promise<void> {
  if (linkIds.length === 0) return;
  await db
    .updateTable('appRefreshToken')
    .set({ revokedAt: now })
    .where('linkId', 'in', linkIds)
    .where('revokedAt', 'is', null)
    .execute();
}
