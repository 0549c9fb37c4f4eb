import type { Db } from '../../db/connection.ts';
import type { LinkEndReason } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import {
  AUTHORIZATION_CODE_SECONDS,
  issueTokenPair,
  pkceMatches,
  type TokenPair,
} from './tokens.server.ts';

export async function findClient(db: Db, clientId: string) {
  if (!/^[a-z0-9][a-z0-9_-]{2,63}$/.test(clientId)) return undefined;
  return db
    .selectFrom('appClient')
    .selectAll()
    .where('id', '=', clientId)
    .where('disabledAt', 'is', null)
    .executeTakeFirst();
}

export async function registerClient(
  db: Db,
  input: { id: string; name: string; redirectUris: string[]; createdBy: string | null },
) {
  await db
    .insertInto('appClient')
    .values(input)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ name: input.name, redirectUris: input.redirectUris }),
    )
    .execute();
}

/** After the resident consented: a one-time code, valid for a minute, bound to the PKCE challenge. */
export async function createAuthorizationCode(
  db: Db,
  input: {
    clientId: string;
    residentId: string;
    redirectUri: string;
    codeChallenge: string;
    deviceName: string | null;
  },
  now = new Date(),
): Promise<string> {
  const code = `ac1.${randomToken()}`;
  await db
    .insertInto('appAuthorizationCode')
    .values({
      ...input,
      codeHash: sha256(code),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000),
    })
    .execute();
  return code;
}

export type Exchange =
  | {
      outcome: 'ok';
      pair: TokenPair;
      linkId: string;
      residentId: string;
      replacedLinkId: string | null;
    }
  | { outcome: 'invalid_grant' };

/**
 * Exchanges an authorization code (once) for a new account link and its first token pair.
 * One linked device per resident: the previous live link ends as 'replaced' and its refresh
 * tokens are revoked in the same transaction, so its access tokens fail from now on.
 */
export async function exchangeAuthorizationCode(
  db: Db,
  secrets: Secrets,
  input: { clientId: string; code: string; redirectUri: string; codeVerifier: string },
  now = new Date(),
): Promise<Exchange> {
  if (!input.code.startsWith('ac1.') || input.code.length > 200)
    return { outcome: 'invalid_grant' };
  return db.transaction().execute(async (trx) => {
    const code = await trx
      .updateTable('appAuthorizationCode')
      .set({ usedAt: now })
      .where('codeHash', '=', sha256(input.code))
      .where('usedAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (
      !code ||
      code.clientId !== input.clientId ||
      code.redirectUri !== input.redirectUri ||
      code.expiresAt <= now ||
      !pkceMatches(input.codeVerifier, code.codeChallenge)
    ) {
      return { outcome: 'invalid_grant' as const };
    }
    const previous = await trx
      .updateTable('appLink')
      .set({ endedAt: now, endReason: 'replaced' })
      .where('residentId', '=', code.residentId)
      .where('endedAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (previous)
      await trx
        .updateTable('appRefreshToken')
        .set({ revokedAt: now })
        .where('linkId', '=', previous.id)
        .where('revokedAt', 'is', null)
        .execute();
    const link = await trx
      .insertInto('appLink')
      .values({
        residentId: code.residentId,
        clientId: code.clientId,
        deviceName: code.deviceName,
        lastUsedAt: now,
      })
      .returning(['id', 'clientId', 'residentId'])
      .executeTakeFirstOrThrow();
    const pair = await issueTokenPair(trx, secrets, link, null, now);
    return {
      outcome: 'ok' as const,
      pair,
      linkId: link.id,
      residentId: link.residentId,
      replacedLinkId: previous?.id ?? null,
    };
  });
}

/** Whether a link still stands; checked on every API request behind an access token. */
export async function linkState(
  db: Db,
  linkId: string,
): Promise<{ live: true } | { live: false; reason: LinkEndReason | null }> {
  const row = await db
    .selectFrom('appLink')
    .select(['endedAt', 'endReason'])
    .where('id', '=', linkId)
    .executeTakeFirst();
  if (!row) return { live: false, reason: null };
  return row.endedAt ? { live: false, reason: row.endReason } : { live: true };
}

/** Ends a link (the app unlinks, or the resident does in the portal); its tokens stop working. */
export async function endLink(
  db: Db,
  linkId: string,
  reason: 'app_unlinked' | 'resident_unlinked',
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('appLink')
      .set({ endedAt: now, endReason: reason })
      .where('id', '=', linkId)
      .where('endedAt', 'is', null)
      .executeTakeFirst();
    await trx
      .updateTable('appRefreshToken')
      .set({ revokedAt: now })
      .where('linkId', '=', linkId)
      .where('revokedAt', 'is', null)
      .execute();
    await trx
      .updateTable('pushRegistration')
      .set({ deactivatedAt: now, deactivationReason: 'unlinked' })
      .where('linkId', '=', linkId)
      .where('deactivatedAt', 'is', null)
      .execute();
    return ended.numUpdatedRows > 0n;
  });
}

export async function liveLinkOfResident(db: Db, residentId: string) {
  return db
    .selectFrom('appLink as l')
    .innerJoin('appClient as c', 'c.id', 'l.clientId')
    .select(['l.id', 'l.deviceName', 'l.createdAt', 'l.lastUsedAt', 'c.name as clientName'])
    .where('l.residentId', '=', residentId)
    .where('l.endedAt', 'is', null)
    .executeTakeFirst();
}

/** Every registered client with its number of live links, for staff. */
export async function listClients(db: Db) {
  return db
    .selectFrom('appClient as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.redirectUris',
      'c.disabledAt',
      eb
        .selectFrom('appLink as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.clientId', '=', 'c.id')
        .where('l.endedAt', 'is', null)
        .as('liveLinks'),
    ])
    .orderBy('c.id')
    .execute();
}
