import type { Db } from '../../db/connection.ts';
import type { ProxyScope } from './permissions.ts';
import { randomToken, sha256 } from './crypto.server.ts';

export const PROXY_INVITATION_DAYS = 14;

/** A grant that is accepted, not revoked, and within its period now. */
export async function activeGrantFor(
  db: Db,
  grantId: string,
  proxyAccountId: string,
  now = new Date(),
) {
  return db
    .selectFrom('proxyGrant')
    .select(['id', 'residentId', 'scopes', 'endsAt'])
    .where('id', '=', grantId)
    .where('proxyAccountId', '=', proxyAccountId)
    .where('revokedAt', 'is', null)
    .where('startsAt', '<=', now)
    .where('endsAt', '>', now)
    .executeTakeFirst();
}

/** A resident grants a person access; the person enrols through the returned one-time link. */
export async function createGrant(
  db: Db,
  input: {
    residentId: string;
    proxyName: string;
    scopes: ProxyScope[];
    startsAt: Date;
    endsAt: Date;
  },
  now = new Date(),
): Promise<{ id: string; token: string; invitationExpiresAt: Date }> {
  const token = randomToken();
  const invitationExpiresAt = new Date(now.getTime() + PROXY_INVITATION_DAYS * 86_400_000);
  const row = await db
    .insertInto('proxyGrant')
    .values({ ...input, invitationTokenHash: sha256(token), invitationExpiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, invitationExpiresAt };
}

export async function grantsOfResident(db: Db, residentId: string) {
  return db
    .selectFrom('proxyGrant')
    .select([
      'id',
      'proxyName',
      'scopes',
      'startsAt',
      'endsAt',
      'acceptedAt',
      'revokedAt',
      'invitationExpiresAt',
      'createdAt',
    ])
    .where('residentId', '=', residentId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** The residents a proxy may act for now. */
export async function grantsOfProxy(db: Db, proxyAccountId: string, now = new Date()) {
  return db
    .selectFrom('proxyGrant')
    .innerJoin('resident', 'resident.id', 'proxyGrant.residentId')
    .select([
      'proxyGrant.id',
      'proxyGrant.scopes',
      'proxyGrant.endsAt',
      'resident.name',
      'resident.id as residentId',
    ])
    .where('proxyGrant.proxyAccountId', '=', proxyAccountId)
    .where('proxyGrant.revokedAt', 'is', null)
    .where('proxyGrant.startsAt', '<=', now)
    .where('proxyGrant.endsAt', '>', now)
    .orderBy('resident.nameKana')
    .execute();
}

export async function findGrantByInvitation(db: Db, token: string, now = new Date()) {
  const grant = await db
    .selectFrom('proxyGrant')
    .innerJoin('resident', 'resident.id', 'proxyGrant.residentId')
    .select([
      'proxyGrant.id',
      'proxyGrant.proxyName',
      'proxyGrant.scopes',
      'proxyGrant.endsAt',
      'proxyGrant.acceptedAt',
      'proxyGrant.revokedAt',
      'proxyGrant.invitationExpiresAt',
      'resident.name as residentName',
    ])
    .where('proxyGrant.invitationTokenHash', '=', sha256(token))
    .executeTakeFirst();
  if (!grant) return { status: 'unknown' as const };
  if (grant.revokedAt) return { status: 'revoked' as const };
  if (grant.acceptedAt) return { status: 'used' as const };
  if (!grant.invitationExpiresAt || grant.invitationExpiresAt <= now || grant.endsAt <= now)
    return { status: 'expired' as const };
  return { status: 'open' as const, grant };
}

/** Binds the grant to the proxy's account, once; the resident it is for, or null if taken. */
export async function acceptGrant(
  db: Db,
  grantId: string,
  proxyAccountId: string,
  now = new Date(),
): Promise<string | null> {
  const row = await db
    .updateTable('proxyGrant')
    .set({ proxyAccountId, acceptedAt: now, invitationTokenHash: null })
    .where('id', '=', grantId)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .returning('residentId')
    .executeTakeFirst();
  return row?.residentId ?? null;
}

/**
 * The resident ends a grant. Sessions acting under it stop working at once (every request
 * re-checks the grant) and are revoked too.
 */
export async function revokeGrant(
  db: Db,
  residentId: string,
  grantId: string,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('proxyGrant')
      .set({ revokedAt: now })
      .where('id', '=', grantId)
      .where('residentId', '=', residentId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx
      .updateTable('session')
      .set({ actingForResidentId: null, proxyGrantId: null })
      .where('proxyGrantId', '=', grantId)
      .execute();
    return true;
  });
}
