/**
 * Staff accounts: their permissions (read on every request), the staff page's list, and the
 * changes staff make to each other (groups, disabling), each recorded in its transaction.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { isUuid } from '../platform/ids.ts';
import { isPermission, type Permission } from './permissions.ts';
import {
  ADMINISTRATORS_GROUP,
  deleteMemberships,
  findActiveMemberIds,
  findExistingGroupIds,
  findGroupIdsOfAccount,
  findMembershipsWithGroupNames,
  findPermissionsOfAccount,
  findStaffAccounts,
  insertMemberships,
  lockAdministratorsGroup,
  lockStaffAccountForUpdate,
  updateAccountDisabled,
} from './staff.repository.server.ts';
import { revokeSessionsOfAccount } from './session.repository.server.ts';
import { expireOpenInvitations } from './staff-invitation.repository.server.ts';

export async function permissionsOf(db: Db, accountId: string): Promise<Set<Permission>> {
  return new Set((await findPermissionsOfAccount(db, accountId)).filter(isPermission));
}

type StaffStatus = 'active' | 'invited' | 'disabled';

/**
 * Every staff account with its groups (ids) and status. "invited": the link was opened but no
 * passkey registered yet. `lastAdministrator` marks the one active member of the
 * administrators group, who can neither be disabled nor leave it.
 */
export async function listStaffMembers(db: Db, now = new Date()) {
  const [accounts, memberships] = await Promise.all([
    findStaffAccounts(db, now),
    findMembershipsWithGroupNames(db),
  ]);
  const adminGroupId = memberships.find((m) => m.name === ADMINISTRATORS_GROUP)?.groupId;
  const activeIds = new Set(accounts.filter((a) => !a.disabledAt).map((a) => a.id));
  const activeAdministrators = memberships.filter(
    (m) => m.groupId === adminGroupId && activeIds.has(m.accountId),
  );
  return accounts.map((a) => {
    const mine = memberships.filter((m) => m.accountId === a.id);
    const status: StaffStatus = !a.disabledAt ? 'active' : a.invited ? 'invited' : 'disabled';
    return {
      id: a.id,
      displayName: a.displayName,
      email: a.email,
      status,
      groupIds: mine.map((m) => m.groupId),
      groupNames: mine.map((m) => m.name),
      lastAdministrator:
        activeAdministrators.length === 1 && activeAdministrators[0]?.accountId === a.id,
    };
  });
}

/** Whether `accountId` is the only active member of the (locked) administrators group. */
async function isLastAdministrator(
  trx: Transaction<Database>,
  adminGroupId: string,
  accountId: string,
): Promise<boolean> {
  const active = await findActiveMemberIds(trx, adminGroupId);
  return active.length === 1 && active[0] === accountId;
}

const lockStaffAccount = (trx: Transaction<Database>, accountId: string) =>
  isUuid(accountId) ? lockStaffAccountForUpdate(trx, accountId) : Promise.resolve(undefined);

type SetMembershipsResult =
  | { outcome: 'ok'; displayName: string; added: string[]; removed: string[] }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_group' }
  | { outcome: 'last_administrator'; displayName: string };

/**
 * Replaces a staff member's groups. Permissions are read on every request, so the change
 * applies to their very next page. The administrators group never loses its last active
 * member (the refusal is recorded too).
 */
export async function setMemberships(
  db: Db,
  actor: AuditActor,
  accountId: string,
  groupIds: string[],
): Promise<SetMembershipsResult> {
  return db.transaction().execute(async (trx) => {
    const adminGroup = await lockAdministratorsGroup(trx);
    const account = await lockStaffAccount(trx, accountId);
    if (!account) return { outcome: 'not_found' as const };
    const wanted = await findExistingGroupIds(trx, [...new Set(groupIds)].filter(isUuid));
    if (wanted.size !== new Set(groupIds).size) return { outcome: 'unknown_group' as const };
    const current = await findGroupIdsOfAccount(trx, accountId);
    const added = [...wanted].filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !wanted.has(id));
    const audit = (outcome: 'success' | 'denied', details: Record<string, unknown>) =>
      recordAudit(trx, {
        ...actor,
        action: 'staff.memberships',
        targetType: 'account',
        targetId: accountId,
        outcome,
        details,
      });
    if (
      adminGroup &&
      removed.includes(adminGroup.id) &&
      (await isLastAdministrator(trx, adminGroup.id, accountId))
    ) {
      await audit('denied', { reason: 'last_administrator' });
      return { outcome: 'last_administrator' as const, displayName: account.displayName };
    }
    await deleteMemberships(trx, accountId, removed);
    await insertMemberships(trx, accountId, added);
    await audit('success', { added, removed });
    return { outcome: 'ok' as const, displayName: account.displayName, added, removed };
  });
}

type DisableStaffResult =
  | { outcome: 'ok'; displayName: string; sessions: number }
  | { outcome: 'not_found' }
  | { outcome: 'self' }
  | { outcome: 'last_administrator'; displayName: string };

/**
 * Disables a staff account: every session it holds ends now and an unaccepted invitation
 * link stops working. Nobody disables themselves, and the administrators group keeps at
 * least one active member (refusals are recorded too).
 */
export async function disableStaff(
  db: Db,
  actor: AuditActor & { actorId: string },
  accountId: string,
  now = new Date(),
): Promise<DisableStaffResult> {
  const entry = (outcome: 'success' | 'denied', details: Record<string, unknown>) => ({
    ...actor,
    action: 'staff.disable',
    targetType: 'account',
    targetId: accountId,
    outcome,
    details,
  });
  if (accountId === actor.actorId) {
    await recordAudit(db, entry('denied', { reason: 'self' }));
    return { outcome: 'self' };
  }
  return db.transaction().execute(async (trx) => {
    const adminGroup = await lockAdministratorsGroup(trx);
    const account = await lockStaffAccount(trx, accountId);
    if (!account) return { outcome: 'not_found' as const };
    if (adminGroup && (await isLastAdministrator(trx, adminGroup.id, accountId))) {
      await recordAudit(trx, entry('denied', { reason: 'last_administrator' }));
      return { outcome: 'last_administrator' as const, displayName: account.displayName };
    }
    await updateAccountDisabled(trx, accountId, now);
    const sessions = await revokeSessionsOfAccount(trx, accountId, now, { unexpiredOnly: false });
    await expireOpenInvitations(trx, { accountId }, now);
    await recordAudit(trx, entry('success', { sessions }));
    return { outcome: 'ok' as const, displayName: account.displayName, sessions };
  });
}
