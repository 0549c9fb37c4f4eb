/** Staff groups and the permissions they hold (the groups page, set-up and the demo seed). */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { isPermission, type Permission } from './permissions.ts';
import {
  ADMINISTRATORS_GROUP,
  findGroupPermissions,
  findGroups,
  insertGroup,
  lockGroupForUpdate,
  replaceGroupPermissions,
  upsertGroupByName,
} from './staff.repository.server.ts';
import { isUuid } from '../platform/ids.ts';

export { ADMINISTRATORS_GROUP };

export async function listGroups(db: Db) {
  const [groups, perms] = await Promise.all([findGroups(db), findGroupPermissions(db)]);
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
    const id = await upsertGroupByName(trx, {
      name: input.name,
      description: input.description ?? '',
    });
    await replaceGroupPermissions(trx, id, input.permissions);
    return id;
  });
}

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

type CreateGroupResult = { outcome: 'ok'; id: string } | { outcome: 'name_taken' };

/** A new group without permissions; names are unique. Recorded with the change. */
export async function createGroup(
  db: Db,
  actor: AuditActor,
  input: { name: string; description: string },
): Promise<CreateGroupResult> {
  return db.transaction().execute(async (trx) => {
    const id = await insertGroup(trx, input);
    if (!id) return { outcome: 'name_taken' as const };
    await recordAudit(trx, {
      ...actor,
      action: 'staff.group_create',
      targetType: 'staff_group',
      targetId: id,
      outcome: 'success',
      details: { name: input.name, description: input.description },
    });
    return { outcome: 'ok' as const, id };
  });
}

type SetGroupPermissionsResult =
  | { outcome: 'ok'; name: string; added: Permission[]; removed: Permission[] }
  | { outcome: 'not_found' }
  | { outcome: 'protected'; name: string };

/**
 * Replaces a group's permissions. The administrators group always keeps staff:manage, so
 * someone can always manage staff (a refusal is recorded too).
 */
export async function setGroupPermissions(
  db: Db,
  actor: AuditActor,
  groupId: string,
  permissions: Permission[],
): Promise<SetGroupPermissionsResult> {
  if (!isUuid(groupId)) return { outcome: 'not_found' };
  const wanted = new Set(permissions);
  return db.transaction().execute(async (trx) => {
    const group = await lockGroupForUpdate(trx, groupId);
    if (!group) return { outcome: 'not_found' as const };
    const audit = (outcome: 'success' | 'denied', details: Record<string, unknown>) =>
      recordAudit(trx, {
        ...actor,
        action: 'staff.group_permissions',
        targetType: 'staff_group',
        targetId: groupId,
        outcome,
        details,
      });
    if (group.name === ADMINISTRATORS_GROUP && !wanted.has('staff:manage')) {
      await audit('denied', { reason: 'keeps_staff_manage' });
      return { outcome: 'protected' as const, name: group.name };
    }
    const current = new Set(
      (await findGroupPermissions(trx, groupId)).map((r) => r.permission).filter(isPermission),
    );
    const added = [...wanted].filter((p) => !current.has(p));
    const removed = [...current].filter((p) => !wanted.has(p));
    await replaceGroupPermissions(trx, groupId, [...wanted]);
    await audit('success', { added, removed });
    return { outcome: 'ok' as const, name: group.name, added, removed };
  });
}
