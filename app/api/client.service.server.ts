/** App clients: registered and switched on or off by staff, looked up on every grant. */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  findClientById,
  findClientsWithLiveLinks,
  updateClientDisabled,
  upsertClient,
  type AppClientRow,
} from './link.repository.server.ts';
import { deactivateRegistrationsOfLinks } from './push-registration.repository.server.ts';

/** A registered client, disabled or not (callers answer a disabled one with its own error). */
export async function findClient(db: Db, clientId: string): Promise<AppClientRow | undefined> {
  if (!/^[a-z0-9][a-z0-9_-]{2,63}$/.test(clientId)) return undefined;
  return findClientById(db, clientId);
}

type ClientInput = Pick<AppClientRow, 'id' | 'name' | 'redirectUris' | 'createdBy'>;

/** Registers (or updates) a client without recording it: set-up, the demo and tests. */
export async function registerClient(db: Db, input: ClientInput): Promise<void> {
  await upsertClient(db, input);
}

/** Staff register (or update) a client; recorded in the same transaction. */
export async function saveClient(db: Db, actor: AuditActor, input: ClientInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await upsertClient(trx, input);
    await recordAudit(trx, {
      ...actor,
      action: 'app.client_register',
      targetType: 'app_client',
      targetId: input.id,
      outcome: 'success',
      details: { redirectUris: input.redirectUris },
    });
  });
}

/**
 * Staff disable a client (its links cannot start, refresh or call the API; the links are
 * kept, so re-enabling restores them) or enable it again. Disabling also deactivates the push
 * registrations of its links in the same transaction: nothing is pushed through a disabled
 * client, and after re-enabling the app registers its devices again (apps do on every launch).
 * False when nothing changed (and nothing is recorded).
 */
export async function setClientDisabled(
  db: Db,
  actor: AuditActor,
  clientId: string,
  disabled: boolean,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await updateClientDisabled(trx, clientId, disabled ? now : null))) return false;
    if (disabled) await deactivateRegistrationsOfLinks(trx, { clientId }, 'client disabled', now);
    await recordAudit(trx, {
      ...actor,
      action: disabled ? 'app.client_disable' : 'app.client_enable',
      targetType: 'app_client',
      targetId: clientId,
      outcome: 'success',
    });
    return true;
  });
}

/** Every registered client with its number of live links, for staff. */
export function listClients(db: Db) {
  return findClientsWithLiveLinks(db);
}
