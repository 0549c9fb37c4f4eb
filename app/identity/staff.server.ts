import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { isPermission, type Permission } from './permissions.ts';
import { randomToken, sha256 } from './crypto.server.ts';

export const INVITATION_HOURS = 72;

export async function permissionsOf(db: Db, accountId: string): Promise<Set<Permission>> {
  const rows = await db
    .selectFrom('staffMembership')
    .innerJoin('staffGroupPermission', 'staffGroupPermission.groupId', 'staffMembership.groupId')
    .select('staffGroupPermission.permission')
    .distinct()
    .where('staffMembership.accountId', '=', accountId)
    .execute();
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

export async function listStaff(db: Db) {
  const staff = await db
    .selectFrom('account')
    .select(['id', 'displayName', 'email', 'disabledAt', 'createdAt'])
    .where('kind', '=', 'staff')
    .orderBy('displayName')
    .execute();
  const memberships = await db
    .selectFrom('staffMembership')
    .innerJoin('staffGroup', 'staffGroup.id', 'staffMembership.groupId')
    .select(['staffMembership.accountId', 'staffGroup.name'])
    .execute();
  return staff.map((s) => ({
    ...s,
    groups: memberships.filter((m) => m.accountId === s.id).map((m) => m.name),
  }));
}

export async function listGroups(db: Db) {
  const groups = await db
    .selectFrom('staffGroup')
    .select(['id', 'name', 'description'])
    .orderBy('name')
    .execute();
  const perms = await db
    .selectFrom('staffGroupPermission')
    .select(['groupId', 'permission'])
    .execute();
  return groups.map((g) => ({
    ...g,
    permissions: perms.filter((p) => p.groupId === g.id).map((p) => p.permission),
  }));
}

/** Creates a group with its permissions, or replaces an existing group's permissions. */
export async function upsertGroup(
  db: Db,
  input: { name: string; description?: string; permissions: Permission[] },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const group = await trx
      .insertInto('staffGroup')
      .values({ name: input.name, description: input.description ?? '' })
      .onConflict((oc) => oc.column('name').doUpdateSet({ description: input.description ?? '' }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('staffGroupPermission').where('groupId', '=', group.id).execute();
    if (input.permissions.length > 0) {
      await trx
        .insertInto('staffGroupPermission')
        .values(input.permissions.map((permission) => ({ groupId: group.id, permission })))
        .execute();
    }
    return group.id;
  });
}

export async function setGroupPermission(
  db: Db,
  groupId: string,
  permission: Permission,
  granted: boolean,
): Promise<void> {
  if (granted) {
    await db
      .insertInto('staffGroupPermission')
      .values({ groupId, permission })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } else {
    await db
      .deleteFrom('staffGroupPermission')
      .where('groupId', '=', groupId)
      .where('permission', '=', permission)
      .execute();
  }
}

/** An invitation link (single use, expiring) that leads a new staff member to register a passkey. */
export async function createStaffInvitation(
  db: Db,
  input: { displayName: string; email: string; groupIds: string[]; createdBy: string | null },
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3600_000);
  const row = await db
    .insertInto('staffInvitation')
    .values({
      tokenHash: sha256(token),
      displayName: input.displayName,
      email: input.email,
      groupIds: input.groupIds,
      createdBy: input.createdBy,
      expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

export async function findOpenInvitation(db: Db, token: string, now = new Date()) {
  const row = await db
    .selectFrom('staffInvitation')
    .selectAll()
    .where('tokenHash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return { status: 'unknown' as const };
  if (row.usedAt) return { status: 'used' as const };
  if (row.expiresAt <= now) return { status: 'expired' as const };
  return { status: 'open' as const, invitation: row };
}

/** The account a staff invitation registers its passkey for (created on the first visit). */
export async function prepareInvitedAccount(
  db: Db,
  invitation: { id: string; displayName: string; email: string; accountId: string | null },
): Promise<string> {
  if (invitation.accountId) return invitation.accountId;
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('staffInvitation')
      .select('accountId')
      .where('id', '=', invitation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.accountId) return current.accountId;
    // The account stays disabled until the invitation is accepted with a passkey.
    const account = await trx
      .insertInto('account')
      .values({
        kind: 'staff',
        displayName: invitation.displayName,
        email: invitation.email,
        disabledAt: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('staffInvitation')
      .set({ accountId: account.id })
      .where('id', '=', invitation.id)
      .execute();
    return account.id;
  });
}

/**
 * Completes an invitation once its passkey is registered: the account is enabled and joins
 * the invited groups. False when the invitation was used or expired in the meantime.
 */
export async function acceptStaffInvitation(
  db: Db,
  invitationId: string,
  accountId: string,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .updateTable('staffInvitation')
      .set({ usedAt: now })
      .where('id', '=', invitationId)
      .where('accountId', '=', accountId)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (!invitation) return false;
    await trx
      .updateTable('account')
      .set({ disabledAt: null })
      .where('id', '=', accountId)
      .execute();
    if (invitation.groupIds.length > 0) {
      await trx
        .insertInto('staffMembership')
        .values(invitation.groupIds.map((groupId) => ({ accountId, groupId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return true;
  });
}

export const ADMINISTRATORS_GROUP = '管理者 Administrators';

/** The administrators' group holds every permission (created if missing). */
export async function ensureAdministratorsGroup(
  db: Db,
  all: readonly Permission[],
): Promise<string> {
  return upsertGroup(db, {
    name: ADMINISTRATORS_GROUP,
    description: 'All permissions',
    permissions: [...all],
  });
}

export async function countStaff(db: Db): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('kind', '=', 'staff')
    .executeTakeFirstOrThrow();
  return row.n;
}
