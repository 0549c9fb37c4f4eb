/**
 * Every query of staff accounts, groups and memberships (invitations: staff-invitation.repository).
 * The first argument is the database or the caller's transaction; lock* need a transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Permission } from './permissions.ts';

type Conn = Db | Transaction<Database>;

export const ADMINISTRATORS_GROUP = '管理者 Administrators';

// ---- Permissions and groups ---------------------------------------------------------------

export async function findPermissionsOfAccount(db: Conn, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staffMembership')
    .innerJoin('staffGroupPermission', 'staffGroupPermission.groupId', 'staffMembership.groupId')
    .select('staffGroupPermission.permission')
    .distinct()
    .where('staffMembership.accountId', '=', accountId)
    .execute();
  return rows.map((r) => r.permission);
}

export function findGroups(db: Conn) {
  return db
    .selectFrom('staffGroup')
    .select(['id', 'name', 'description'])
    .orderBy('name')
    .execute();
}

export function findGroupPermissions(db: Conn, groupId?: string) {
  return db
    .selectFrom('staffGroupPermission')
    .select(['groupId', 'permission'])
    .$if(groupId !== undefined, (q) => q.where('groupId', '=', groupId!))
    .execute();
}

/** Which of these ids (already checked to be UUIDs) name a group. */
export async function findExistingGroupIds(db: Conn, groupIds: string[]): Promise<Set<string>> {
  if (groupIds.length === 0) return new Set();
  const rows = await db.selectFrom('staffGroup').select('id').where('id', 'in', groupIds).execute();
  return new Set(rows.map((r) => r.id));
}

/** Creates the group, or updates its description when the name exists; its id. */
export async function upsertGroupByName(
  db: Conn,
  group: { name: string; description: string },
): Promise<string> {
  const row = await db
    .insertInto('staffGroup')
    .values(group)
    .onConflict((oc) => oc.column('name').doUpdateSet({ description: group.description }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The new group's id, or undefined when the name is taken. */
export async function insertGroup(
  db: Conn,
  group: { name: string; description: string },
): Promise<string | undefined> {
  const row = await db
    .insertInto('staffGroup')
    .values(group)
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function replaceGroupPermissions(
  trx: Transaction<Database>,
  groupId: string,
  permissions: readonly Permission[],
): Promise<void> {
  await trx.deleteFrom('staffGroupPermission').where('groupId', '=', groupId).execute();
  if (permissions.length > 0)
    await trx
      .insertInto('staffGroupPermission')
      .values(permissions.map((permission) => ({ groupId, permission })))
      .execute();
}

export function lockGroupForUpdate(trx: Transaction<Database>, groupId: string) {
  return trx
    .selectFrom('staffGroup')
    .select(['id', 'name'])
    .where('id', '=', groupId)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/**
 * The administrators group, locked for this transaction (or undefined when it does not
 * exist). Every change that could leave it without an active member takes this lock first,
 * so two such changes cannot both see "someone else is still an administrator".
 */
export function lockAdministratorsGroup(trx: Transaction<Database>) {
  return trx
    .selectFrom('staffGroup')
    .select('id')
    .where('name', '=', ADMINISTRATORS_GROUP)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

// ---- Accounts and memberships -------------------------------------------------------------

/** Staff accounts by name, each with whether an unaccepted invitation is still open. */
export function findStaffAccounts(db: Conn, now: Date) {
  return db
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
}

export function findMembershipsWithGroupNames(db: Conn) {
  return db
    .selectFrom('staffMembership')
    .innerJoin('staffGroup', 'staffGroup.id', 'staffMembership.groupId')
    .select(['staffMembership.accountId', 'staffMembership.groupId', 'staffGroup.name'])
    .orderBy('staffGroup.name')
    .execute();
}

export async function findGroupIdsOfAccount(db: Conn, accountId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('staffMembership')
    .select('groupId')
    .where('accountId', '=', accountId)
    .execute();
  return new Set(rows.map((r) => r.groupId));
}

/** Accounts of the group that are not disabled. */
export async function findActiveMemberIds(db: Conn, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staffMembership')
    .innerJoin('account', 'account.id', 'staffMembership.accountId')
    .select('staffMembership.accountId')
    .where('staffMembership.groupId', '=', groupId)
    .where('account.disabledAt', 'is', null)
    .execute();
  return rows.map((r) => r.accountId);
}

export async function insertMemberships(
  db: Conn,
  accountId: string,
  groupIds: readonly string[],
): Promise<void> {
  if (groupIds.length === 0) return;
  await db
    .insertInto('staffMembership')
    .values(groupIds.map((groupId) => ({ accountId, groupId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteMemberships(
  db: Conn,
  accountId: string,
  groupIds: readonly string[],
): Promise<void> {
  if (groupIds.length === 0) return;
  await db
    .deleteFrom('staffMembership')
    .where('accountId', '=', accountId)
    .where('groupId', 'in', groupIds)
    .execute();
}

/** A staff account (by an id already checked to be a UUID), locked for this transaction. */
export function lockStaffAccountForUpdate(trx: Transaction<Database>, accountId: string) {
  return trx
    .selectFrom('account')
    .select(['id', 'displayName', 'disabledAt'])
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .forUpdate()
    .executeTakeFirst();
}

export function findStaffAccountByEmail(db: Conn, email: string) {
  return db
    .selectFrom('account')
    .select('id')
    .where('kind', '=', 'staff')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** A staff account that stays disabled until its invitation is accepted with a passkey. */
export async function insertDisabledStaffAccount(
  db: Conn,
  account: { displayName: string; email: string },
  now: Date,
): Promise<string> {
  const row = await db
    .insertInto('account')
    .values({
      kind: 'staff',
      displayName: account.displayName,
      email: account.email,
      disabledAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The language of the admin pages a staff member signed in on: what staff mail is written in. */
export async function updateStaffLocale(db: Conn, accountId: string, locale: 'ja' | 'en') {
  await db
    .updateTable('account')
    .set({ locale })
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .where((eb) => eb('locale', 'is', null).or('locale', '<>', locale))
    .execute();
}

export async function updateAccountDisabled(
  db: Conn,
  accountId: string,
  disabledAt: Date | null,
): Promise<void> {
  await db
    .updateTable('account')
    .set({ disabledAt })
    .where('id', '=', accountId)
    .$if(disabledAt !== null, (q) => q.where('disabledAt', 'is', null))
    .execute();
}
