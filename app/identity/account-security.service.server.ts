/**
 * What residents and proxies change about their own way in (the security page) and first
 * access with a letter: each change is recorded in the transaction that makes it.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { markLetterUsed } from '../letters/letter-check.service.server.ts';
import {
  finishRegistration,
  PasskeyError,
  removePasskey,
  renamePasskey,
  type RegisteredPasskey,
  type RelyingParty,
} from './passkeys.server.ts';
import { revokeAllSessions } from './session.server.ts';

type Owner = AuditActor & { actorId: string };

const passkeyEntry = (
  owner: Owner,
  action: string,
  outcome: 'success' | 'failure' | 'denied',
  passkeyId: string | null,
  details: Record<string, unknown> = {},
) => ({ ...owner, action, targetType: 'passkey', targetId: passkeyId, outcome, details });

/** False when the account has no such passkey. */
export async function renameOwnPasskey(
  db: Db,
  owner: Owner,
  passkeyId: string,
  name: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await renamePasskey(trx, owner.actorId, passkeyId, name))) return false;
    await recordAudit(trx, passkeyEntry(owner, 'passkey.rename', 'success', passkeyId));
    return true;
  });
}

/** The last passkey stays (an account is never left without a way in); the refusal is recorded. */
export async function removeOwnPasskey(db: Db, owner: Owner, passkeyId: string) {
  return db.transaction().execute(async (trx) => {
    const outcome = await removePasskey(trx, owner.actorId, passkeyId);
    if (outcome === 'last')
      await recordAudit(
        trx,
        passkeyEntry(owner, 'passkey.remove', 'denied', passkeyId, { reason: 'last_passkey' }),
      );
    if (outcome === 'removed')
      await recordAudit(trx, passkeyEntry(owner, 'passkey.remove', 'success', passkeyId));
    return outcome;
  });
}

/**
 * Another passkey for the signed-in account. A registration that fails (or that answers a
 * challenge of another account) stores nothing and is recorded as a failure; the
 * PasskeyError (or the SyntaxError of a malformed answer) is thrown on.
 */
export async function addOwnPasskey(
  db: Db,
  rp: RelyingParty,
  owner: Owner,
  input: { challengeId: string; response: string; name: string },
): Promise<RegisteredPasskey> {
  try {
    return await finishRegistration(
      db,
      rp,
      { ...input, response: JSON.parse(input.response) as unknown },
      async (trx, created) => {
        if (created.accountId !== owner.actorId) throw new PasskeyError('invalid');
        await recordAudit(trx, passkeyEntry(owner, 'passkey.add', 'success', created.passkeyId));
      },
    );
  } catch (error) {
    if (error instanceof PasskeyError || error instanceof SyntaxError) {
      const reason = error instanceof PasskeyError ? error.reason : 'invalid';
      await recordAudit(db, passkeyEntry(owner, 'passkey.add', 'failure', null, { reason }));
    }
    throw error;
  }
}

/** Every live session of the account ends; how many. */
export async function signOutEverywhere(db: Db, owner: Owner): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const sessions = await revokeAllSessions(trx, owner.actorId);
    await recordAudit(trx, {
      ...owner,
      action: 'auth.sign_out_everywhere',
      targetType: 'account',
      targetId: owner.actorId,
      outcome: 'success',
      details: { sessions },
    });
    return sessions;
  });
}

/**
 * First access, second step: the resident's first passkey is stored, the letter that let them
 * in is used up, and both are recorded, in one transaction. Throws what finishRegistration
 * throws (nothing is stored then).
 */
export async function completeFirstAccess(
  db: Db,
  rp: RelyingParty,
  input: { challengeId: string; response: unknown; name: string },
  ip: string | null,
): Promise<RegisteredPasskey> {
  return finishRegistration(db, rp, input, async (trx, created) => {
    const letterId = String(created.context.letterId ?? '');
    await markLetterUsed(trx, letterId);
    await recordAudit(trx, {
      actorType: 'resident',
      actorId: created.accountId,
      onBehalfOfResidentId: null,
      action: 'auth.first_access',
      targetType: 'letter',
      targetId: letterId,
      outcome: 'success',
      ip,
      details: { passkeyId: created.passkeyId },
    });
  });
}

/** A letter check that failed at first access (nothing changed but the throttles). */
export async function recordFirstAccessRefused(
  db: Db,
  outcome: 'denied' | 'failure',
  reason: string,
  ip: string | null,
): Promise<void> {
  await recordAudit(db, {
    actorType: 'anonymous',
    action: 'auth.first_access',
    outcome,
    ip,
    details: { reason },
  });
}
