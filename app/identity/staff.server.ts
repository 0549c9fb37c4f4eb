import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
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

// ---- Staff management (the staff and groups pages) ----------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StaffStatus = 'active' | 'invited' | 'disabled';

/**
 * Every staff account with its groups (ids) and status. "invited": the link was opened but no
 * passkey registered yet. `lastAdministrator` marks the one active member of the
 * administrators group, who can neither be disabled nor leave it.
 */
export async function listStaffMembers(db: Db, now = new Date()) {
  const accounts = await db
    .selectFrom('account')
    .select((eb) => [
      'account.id',
      'account.displayName',
      'account.email',
      'account.disabledAt',
      eb
        .exists(
          eb
            .selectFrom('staffInvitation')
            .select('staffInvitation.id')
            .whereRef('staffInvitation.accountId', '=', 'account.id')
            .where('staffInvitation.usedAt', 'is', null)
            .where('staffInvitation.expiresAt', '>', now),
        )
        .as('invited'),
    ])
    .where('account.kind', '=', 'staff')
    .orderBy('account.displayName')
    .execute();
  const memberships = await db
    .selectFrom('staffMembership')
    .innerJoin('staffGroup', 'staffGroup.id', 'staffMembership.groupId')
    .select(['staffMembership.accountId', 'staffMembership.groupId', 'staffGroup.name'])
    .orderBy('staffGroup.name')
    .execute();
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

/**
 * The administrators group, locked for this transaction (or undefined when it does not
 * exist). Every change that could leave it without an active member takes this lock first,
 * so two such changes cannot both see "someone else is still an administrator".
 */
async function lockAdministratorsGroup(trx: Transaction<Database>) {
  return trx
    .selectFrom('staffGroup')
    .select('id')
    .where('name', '=', ADMINISTRATORS_GROUP)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/** Whether `accountId` is the only active member of the (locked) administrators group. */
async function isLastAdministrator(
  trx: Transaction<Database>,
  adminGroupId: string,
  accountId: string,
): Promise<boolean> {
  const rows = await trx
    .selectFrom('staffMembership')
    .innerJoin('account', 'account.id', 'staffMembership.accountId')
    .select('staffMembership.accountId')
    .where('staffMembership.groupId', '=', adminGroupId)
    .where('account.disabledAt', 'is', null)
    .execute();
  return rows.length === 1 && rows[0]?.accountId === accountId;
}

async function lockStaffAccount(trx: Transaction<Database>, accountId: string) {
  if (!UUID.test(accountId)) return undefined;
  return trx
    .selectFrom('account')
    .select(['id', 'displayName', 'disabledAt'])
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .forUpdate()
    .executeTakeFirst();
}

async function existingGroupIds(
  db: Db | Transaction<Database>,
  groupIds: readonly string[],
): Promise<Set<string>> {
  const valid = [...new Set(groupIds)].filter((id) => UUID.test(id));
  if (valid.length === 0) return new Set();
  const rows = await db.selectFrom('staffGroup').select('id').where('id', 'in', valid).execute();
  return new Set(rows.map((r) => r.id));
}

export type InviteStaffResult =
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
  input: { displayName: string; email: string; groupIds: string[]; createdBy: string | null },
  now = new Date(),
): Promise<InviteStaffResult> {
  const groups = await existingGroupIds(db, input.groupIds);
  if (groups.size !== new Set(input.groupIds).size) return { outcome: 'unknown_group' };
  const taken = await db
    .selectFrom('account')
    .select('id')
    .where('kind', '=', 'staff')
    .where(sql<string>`lower(email)`, '=', input.email.toLowerCase())
    .executeTakeFirst();
  if (taken) return { outcome: 'email_taken' };
  await db
    .updateTable('staffInvitation')
    .set({ expiresAt: now })
    .where(sql<string>`lower(email)`, '=', input.email.toLowerCase())
    .where('usedAt', 'is', null)
    .where('accountId', 'is', null)
    .where('expiresAt', '>', now)
    .execute();
  const invitation = await createStaffInvitation(db, { ...input, groupIds: [...groups] }, now);
  return { outcome: 'ok', ...invitation };
}

export type SetMembershipsResult =
  | { outcome: 'ok'; displayName: string; added: string[]; removed: string[] }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_group' }
  | { outcome: 'last_administrator'; displayName: string };

/**
 * Replaces a staff member's groups. Permissions are read on every request, so the change
 * applies to their very next page. The administrators group never loses its last active member.
 */
export async function setMemberships(
  db: Db,
  accountId: string,
  groupIds: string[],
): Promise<SetMembershipsResult> {
  return db.transaction().execute(async (trx) => {
    const adminGroup = await lockAdministratorsGroup(trx);
    const account = await lockStaffAccount(trx, accountId);
    if (!account) return { outcome: 'not_found' as const };
    const wanted = await existingGroupIds(trx, groupIds);
    if (wanted.size !== new Set(groupIds).size) return { outcome: 'unknown_group' as const };
    const current = new Set(
      (
        await trx
          .selectFrom('staffMembership')
          .select('groupId')
          .where('accountId', '=', accountId)
          .execute()
      ).map((r) => r.groupId),
    );
    const added = [...wanted].filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !wanted.has(id));
    if (
      adminGroup &&
      removed.includes(adminGroup.id) &&
      (await isLastAdministrator(trx, adminGroup.id, accountId))
    )
      return { outcome: 'last_administrator' as const, displayName: account.displayName };
    if (removed.length > 0)
      await trx
        .deleteFrom('staffMembership')
        .where('accountId', '=', accountId)
        .where('groupId', 'in', removed)
        .execute();
    if (added.length > 0)
      await trx
        .insertInto('staffMembership')
        .values(added.map((groupId) => ({ accountId, groupId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    return { outcome: 'ok' as const, displayName: account.displayName, added, removed };
  });
}

export type DisableStaffResult =
  | { outcome: 'ok'; displayName: string; sessions: number }
  | { outcome: 'not_found' }
  | { outcome: 'self' }
  | { outcome: 'last_administrator'; displayName: string };

/**
 * Disables a staff account: every session it holds ends now and an unaccepted invitation
 * link stops working. Nobody disables themselves, and the administrators group keeps at
 * least one active member.
 */
export async function disableStaff(
  db: Db,
  accountId: string,
  by: { accountId: string },
  now = new Date(),
): Promise<DisableStaffResult> {
  if (accountId === by.accountId) return { outcome: 'self' };
  return db.transaction().execute(async (trx) => {
    const adminGroup = await lockAdministratorsGroup(trx);
    const account = await lockStaffAccount(trx, accountId);
    if (!account) return { outcome: 'not_found' as const };
    if (adminGroup && (await isLastAdministrator(trx, adminGroup.id, accountId)))
      return { outcome: 'last_administrator' as const, displayName: account.displayName };
    await trx
      .updateTable('account')
      .set({ disabledAt: now })
      .where('id', '=', accountId)
      .where('disabledAt', 'is', null)
      .execute();
    const ended = await trx
      .updateTable('session')
      .set({ revokedAt: now })
      .where('accountId', '=', accountId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    await trx
      .updateTable('staffInvitation')
      .set({ expiresAt: now })
      .where('accountId', '=', accountId)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .execute();
    return {
      outcome: 'ok' as const,
      displayName: account.displayName,
      sessions: Number(ended.numUpdatedRows),
    };
  });
}

export type CreateGroupResult = { outcome: 'ok'; id: string } | { outcome: 'name_taken' };

/** A new group without permissions; names are unique. */
export async function createGroup(
  db: Db,
  input: { name: string; description: string },
): Promise<CreateGroupResult> {
  const row = await db
    .insertInto('staffGroup')
    .values({ name: input.name, description: input.description })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { outcome: 'ok', id: row.id } : { outcome: 'name_taken' };
}

export type SetGroupPermissionsResult =
  | { outcome: 'ok'; name: string; added: Permission[]; removed: Permission[] }
  | { outcome: 'not_found' }
  | { outcome: 'protected'; name: string };

/**
 * Replaces a group's permissions. The administrators group always keeps staff:manage, so
 * someone can always manage staff.
 */
export async function setGroupPermissions(
  db: Db,
  groupId: string,
  permissions: Permission[],
): Promise<SetGroupPermissionsResult> {
  if (!UUID.test(groupId)) return { outcome: 'not_found' };
  const wanted = new Set(permissions);
  return db.transaction().execute(async (trx) => {
    const group = await trx
      .selectFrom('staffGroup')
      .select(['id', 'name'])
      .where('id', '=', groupId)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!group) return { outcome: 'not_found' as const };
    if (group.name === ADMINISTRATORS_GROUP && !wanted.has('staff:manage'))
      return { outcome: 'protected' as const, name: group.name };
    const current = new Set(
      (
        await trx
          .selectFrom('staffGroupPermission')
          .select('permission')
          .where('groupId', '=', groupId)
          .execute()
      )
        .map((r) => r.permission)
        .filter(isPermission),
    );
    const added = [...wanted].filter((p) => !current.has(p));
    const removed = [...current].filter((p) => !wanted.has(p));
    await trx.deleteFrom('staffGroupPermission').where('groupId', '=', groupId).execute();
    if (wanted.size > 0)
      await trx
        .insertInto('staffGroupPermission')
        .values([...wanted].map((permission) => ({ groupId, permission })))
        .execute();
    return { outcome: 'ok' as const, name: group.name, added, removed };
  });
}
