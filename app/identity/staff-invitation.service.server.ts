/**
 * Staff invitations: a single-use, expiring link by which a new staff member registers a
 * passkey; accepting it enables the account and joins the invited groups.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { isUuid } from '../platform/ids.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import { randomToken, sha256 } from './crypto.server.ts';
import { permissions } from './permissions.ts';
import { ensureAdministratorsGroup } from './staff-groups.service.server.ts';
import {
  findExistingGroupIds,
  findStaffAccountByEmail,
  insertDisabledStaffAccount,
  insertMemberships,
  updateAccountDisabled,
} from './staff.repository.server.ts';
import {
  expireOpenInvitations,
  findInvitationByTokenHash,
  insertStaffInvitation,
  lockInvitationForUpdate,
  markInvitationUsed,
  updateInvitationAccount,
} from './staff-invitation.repository.server.ts';

export const INVITATION_HOURS = 72;

/**
 * An invitation link (single use, expiring) that leads a new staff member to register a
 * passkey. Set-up and scripts call it directly (and record it themselves); staff invite
 * through inviteStaff.
 */
export async function createStaffInvitation(
  db: Db,
  input: { displayName: string; email: string; groupIds: string[]; createdBy: string | null },
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3600_000);
  const id = await insertStaffInvitation(db, { ...input, tokenHash: sha256(token), expiresAt });
  return { id, token, expiresAt };
}

export async function findOpenInvitation(db: Db, token: string, now = new Date()) {
  const row = await findInvitationByTokenHash(db, sha256(token));
  if (!row) return { status: 'unknown' as const };
  if (row.usedAt) return { status: 'used' as const };
  if (row.expiresAt <= now) return { status: 'expired' as const };
  return { status: 'open' as const, invitation: row };
}

/** The account a staff invitation registers its passkey for (created on the first visit). */
export async function prepareInvitedAccount(
  db: Db,
  invitation: { id: string; displayName: string; email: string; accountId: string | null },
  now = new Date(),
): Promise<string> {
  if (invitation.accountId) return invitation.accountId;
  return db.transaction().execute(async (trx) => {
    const current = await lockInvitationForUpdate(trx, invitation.id);
    if (current.accountId) return current.accountId;
    const accountId = await insertDisabledStaffAccount(
      trx,
      { displayName: invitation.displayName, email: invitation.email },
      now,
    );
    await updateInvitationAccount(trx, invitation.id, accountId);
    return accountId;
  });
}

/**
 * Completes an invitation once its passkey is registered: the account is enabled and joins
 * the invited groups, recorded in the same transaction. False when the invitation was used or
 * expired in the meantime.
 */
export async function acceptStaffInvitation(
  db: Db,
  invitationId: string,
  accountId: string,
  ip: string | null,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const invitation = await markInvitationUsed(trx, invitationId, accountId, now);
    if (!invitation) return false;
    await updateAccountDisabled(trx, accountId, null);
    await insertMemberships(trx, accountId, invitation.groupIds);
    await recordAudit(trx, {
      actorType: 'staff',
      actorId: accountId,
      onBehalfOfResidentId: null,
      action: 'staff.accept_invitation',
      targetType: 'staff_invitation',
      targetId: invitationId,
      outcome: 'success',
      ip,
    });
    return true;
  });
}

/**
 * An administrator's invitation made from the command line (`npm run staff:create-admin`): the
 * administrators group gets every permission, and the invitation is recorded as the system's.
 */
export async function inviteAdministrator(
  db: Db,
  input: { displayName: string; email: string },
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const group = await ensureAdministratorsGroup(db, permissions);
  return db.transaction().execute(async (trx) => {
    const invitation = await createStaffInvitation(
      trx,
      { ...input, groupIds: [group], createdBy: null },
      now,
    );
    await recordAudit(trx, {
      actorType: 'system',
      action: 'staff.invite',
      targetType: 'staff_invitation',
      targetId: invitation.id,
      outcome: 'success',
      details: { email: input.email, administrator: true },
    });
    return invitation;
  });
}

type InviteStaffResult =
  | { outcome: 'ok'; id: string; token: string; expiresAt: Date }
  | { outcome: 'email_taken' }
  | { outcome: 'unknown_group' };

/**
 * Invites a new staff member into existing groups. An address that already belongs to a staff
 * account is refused (accepting would collide with it); an earlier unopened invitation to the
 * same address is superseded, so only the newest link works.
 */
export async function inviteStaff(
  db: Db,
  actor: AuditActor,
  input: { displayName: string; email: string; groupIds: string[]; createdBy: string | null },
  now = new Date(),
): Promise<InviteStaffResult> {
  const groups = await findExistingGroupIds(db, [...new Set(input.groupIds)].filter(isUuid));
  if (groups.size !== new Set(input.groupIds).size) return { outcome: 'unknown_group' };
  if (await findStaffAccountByEmail(db, input.email)) return { outcome: 'email_taken' };
  return inTransaction(db, async (trx) => {
    await expireOpenInvitations(trx, { email: input.email }, now);
    const invitation = await createStaffInvitation(trx, { ...input, groupIds: [...groups] }, now);
    await recordAudit(trx, {
      ...actor,
      action: 'staff.invite',
      targetType: 'staff_invitation',
      targetId: invitation.id,
      outcome: 'success',
      details: { email: input.email, groupIds: input.groupIds },
    });
    return { outcome: 'ok' as const, ...invitation };
  });
}
