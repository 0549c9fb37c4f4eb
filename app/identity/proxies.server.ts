import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import type { ProxyScope } from './permissions.ts';
import { randomToken, sha256 } from './crypto.server.ts';
import { rotateSession, type SessionInfo } from './session.server.ts';
import { clearSessionsOfGrant } from './session.repository.server.ts';
import {
  findActiveGrant,
  findActiveGrantsOfProxy,
  findGrantByInvitationHash,
  findGrantsOfResident,
  insertGrant,
  markGrantAccepted,
  markGrantRevoked,
} from './proxy.repository.server.ts';

const PROXY_INVITATION_DAYS = 14;

/** A grant that is accepted, not revoked, and within its period now. */
export async function activeGrantFor(
  db: Db,
  grantId: string,
  proxyAccountId: string,
  now = new Date(),
) {
  return findActiveGrant(db, grantId, proxyAccountId, now);
}

/**
 * A resident grants a person access; the person enrols through the returned one-time link.
 * The grant and its audit entry commit together.
 */
export async function createGrant(
  db: Db,
  actor: AuditActor,
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
  return inTransaction(db, async (trx) => {
    const id = await insertGrant(trx, {
      ...input,
      invitationTokenHash: sha256(token),
      invitationExpiresAt,
    });
    await recordAudit(trx, {
      ...actor,
      action: 'proxy.grant',
      targetType: 'proxy_grant',
      targetId: id,
      outcome: 'success',
      details: { scopes: input.scopes, endsAt: input.endsAt.toISOString() },
    });
    return { id, token, invitationExpiresAt };
  });
}

export function grantsOfResident(db: Db, residentId: string) {
  return findGrantsOfResident(db, residentId);
}

/** The residents a proxy may act for now. */
export function grantsOfProxy(db: Db, proxyAccountId: string, now = new Date()) {
  return findActiveGrantsOfProxy(db, proxyAccountId, now);
}

export async function findGrantByInvitation(db: Db, token: string, now = new Date()) {
  const grant = await findGrantByInvitationHash(db, sha256(token));
  if (!grant) return { status: 'unknown' as const };
  if (grant.revokedAt) return { status: 'revoked' as const };
  if (grant.acceptedAt) return { status: 'used' as const };
  if (!grant.invitationExpiresAt || grant.invitationExpiresAt <= now || grant.endsAt <= now)
    return { status: 'expired' as const };
  return { status: 'open' as const, grant };
}

/**
 * Binds the grant to the proxy's account, once, and records it; the resident it is for, or
 * null if taken.
 */
export async function acceptGrant(
  db: Db,
  grantId: string,
  proxyAccountId: string,
  ip: string | null,
  now = new Date(),
): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const row = await markGrantAccepted(trx, grantId, proxyAccountId, now);
    if (!row) return null;
    await recordAudit(trx, {
      actorType: 'proxy',
      actorId: proxyAccountId,
      onBehalfOfResidentId: row.residentId,
      action: 'proxy.accept',
      targetType: 'proxy_grant',
      targetId: grantId,
      outcome: 'success',
      ip,
    });
    return row.residentId;
  });
}

/**
 * The proxy starts acting for the grant's resident (or stops, with `grant` null): a privilege
 * change, so the session's cookie value rotates; returns the new one. Recorded with both
 * identities, in the same transaction.
 */
export async function actForResident(
  db: Db,
  session: Pick<SessionInfo, 'id' | 'accountId' | 'actingForResidentId' | 'proxyGrantId'>,
  grant: { id: string; residentId: string } | null,
  ip: string | null,
): Promise<string> {
  return inTransaction(db, async (trx) => {
    const token = await rotateSession(trx, session.id, {
      actingForResidentId: grant?.residentId ?? null,
      proxyGrantId: grant?.id ?? null,
    });
    const residentId = grant ? grant.residentId : session.actingForResidentId;
    if (residentId)
      await recordAudit(trx, {
        actorType: 'proxy',
        actorId: session.accountId,
        onBehalfOfResidentId: residentId,
        action: grant ? 'proxy.start_acting' : 'proxy.stop_acting',
        targetType: 'proxy_grant',
        targetId: grant ? grant.id : session.proxyGrantId,
        outcome: 'success',
        ip,
      });
    return token;
  });
}

/**
 * The resident ends a grant. Sessions acting under it stop working at once (every request
 * re-checks the grant) and are revoked too.
 */
export async function revokeGrant(
  db: Db,
  actor: AuditActor,
  residentId: string,
  grantId: string,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await markGrantRevoked(trx, residentId, grantId, now))) return false;
    await clearSessionsOfGrant(trx, grantId);
    await recordAudit(trx, {
      ...actor,
      action: 'proxy.revoke',
      targetType: 'proxy_grant',
      targetId: grantId,
      outcome: 'success',
    });
    return true;
  });
}
