/**
 * Every query of proxy grants (任意代理). The first argument is the database or the caller's
 * transaction.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, ProxyGrantTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

/** A grant of this proxy that is accepted, not revoked, and within its period at `now`. */
export function findActiveGrant(db: Conn, grantId: string, proxyAccountId: string, now: Date) {
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

export async function insertGrant(db: Conn, grant: Insertable<ProxyGrantTable>): Promise<string> {
  const row = await db
    .insertInto('proxyGrant')
    .values(grant)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every grant a resident made, newest first. */
export function findGrantsOfResident(db: Conn, residentId: string) {
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

/** The grants a proxy may act under at `now`, with their residents, in kana order. */
export function findActiveGrantsOfProxy(db: Conn, proxyAccountId: string, now: Date) {
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

/** The grant of an invitation token's hash, with its resident's name. */
export function findGrantByInvitationHash(db: Conn, invitationTokenHash: Buffer) {
  return db
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
    .where('proxyGrant.invitationTokenHash', '=', invitationTokenHash)
    .executeTakeFirst();
}

/** Binds an open grant to the proxy's account, once; its resident, or undefined if taken. */
export function markGrantAccepted(db: Conn, grantId: string, proxyAccountId: string, now: Date) {
  return db
    .updateTable('proxyGrant')
    .set({ proxyAccountId, acceptedAt: now, invitationTokenHash: null })
    .where('id', '=', grantId)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .returning('residentId')
    .executeTakeFirst();
}

/** Revokes the resident's grant if it is not revoked already; whether it was. */
export async function markGrantRevoked(
  db: Conn,
  residentId: string,
  grantId: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('proxyGrant')
    .set({ revokedAt: now })
    .where('id', '=', grantId)
    .where('residentId', '=', residentId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
