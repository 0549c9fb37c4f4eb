import type { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { PushRegistrationRequest } from './api.schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { isUuid } from '../platform/ids.ts';
import {
  countLiveRegistrationsOfResident,
  deactivateRegistrationOfResident,
  findLiveRegistrationOfResident,
  findLiveRegistrationsOfResident,
  insertRegistration,
  updateLiveRegistrationByToken,
} from './push-registration.repository.server.ts';

/** Devices one resident may have receiving pushes at once. */
export const MAX_DEVICES_PER_RESIDENT = 20;

export class TooManyDevices extends Error {
  constructor() {
    super(`a resident may register at most ${MAX_DEVICES_PER_RESIDENT} devices for pushes`);
  }
}

/**
 * Stores a device's push address for the linked resident (sending is the push feature's job).
 * The same token registered again moves to this link instead of existing twice. A resident
 * subscribing a browser on the portal passes `actor`: the subscription is recorded with it
 * ('push.subscribe'); an app's registration is not recorded.
 */
export async function registerPush(
  db: Db,
  input: {
    residentId: string;
    /** The app link a device registered through; null for a browser subscribed on the portal. */
    linkId: string | null;
    body: z.infer<typeof PushRegistrationRequest>;
  },
  actor: AuditActor | null = null,
) {
  const { body } = input;
  const token = body.channel === 'webpush' ? body.endpoint : body.token;
  const values = {
    residentId: input.residentId,
    linkId: input.linkId,
    p256dh: body.channel === 'webpush' ? body.keys.p256dh : null,
    auth: body.channel === 'webpush' ? body.keys.auth : null,
    locale: body.locale ?? ('ja' as const),
  };
  return db.transaction().execute(async (trx) => {
    // The same device registering again (apps do on every launch) keeps its row and id, so a
    // fan-out walking registrations by id neither skips it nor reaches it twice.
    const stored =
      (await updateLiveRegistrationByToken(trx, body.channel, token, values)) ??
      ((await countLiveRegistrationsOfResident(trx, input.residentId)) >= MAX_DEVICES_PER_RESIDENT
        ? null
        : await insertRegistration(trx, { ...values, channel: body.channel, token }));
    if (!stored) throw new TooManyDevices();
    if (actor) await recordAudit(trx, pushEntry(actor, 'push.subscribe', stored.id));
    return stored;
  });
}

/**
 * Stops one of the resident's live registrations; false when there is none (stopping twice is
 * harmless and records nothing). With `actor` (the portal) the change is recorded.
 */
export async function unregisterPush(
  db: Db,
  residentId: string,
  id: string,
  actor: AuditActor | null = null,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  return db.transaction().execute(async (trx) => {
    if (!(await deactivateRegistrationOfResident(trx, residentId, id, 'unregistered')))
      return false;
    if (actor) await recordAudit(trx, pushEntry(actor, 'push.unsubscribe', id));
    return true;
  });
}

const pushEntry = (actor: AuditActor, action: string, registrationId: string) => ({
  ...actor,
  action,
  targetType: 'push_registration',
  targetId: registrationId,
  outcome: 'success' as const,
});

/** A resident's devices that receive pushes now, newest first (the portal's settings page). */
export function liveRegistrationsOf(db: Db, residentId: string) {
  return findLiveRegistrationsOfResident(db, residentId);
}

/** One of the resident's live registrations, by its id or by its Web Push endpoint. */
export async function findLiveRegistration(
  db: Db,
  residentId: string,
  by: { id: string } | { endpoint: string },
): Promise<{ id: string } | undefined> {
  if ('id' in by && !isUuid(by.id)) return undefined;
  return findLiveRegistrationOfResident(db, residentId, by);
}
