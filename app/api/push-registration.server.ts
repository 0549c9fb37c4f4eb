import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { PushRegistrationRequest } from './api.schema.ts';
import { isUuid } from '../platform/ids.ts';

/** Devices one resident may have receiving pushes at once. */
export const MAX_DEVICES_PER_RESIDENT = 20;

export class TooManyDevices extends Error {
  constructor() {
    super(`a resident may register at most ${MAX_DEVICES_PER_RESIDENT} devices for pushes`);
  }
}

/**
 * Stores a device's push address for the linked resident (sending is the push feature's job).
 * The same token registered again moves to this link instead of existing twice.
 */
export async function registerPush(
  db: Db,
  input: {
    residentId: string;
    /** The app link a device registered through; null for a browser subscribed on the portal. */
    linkId: string | null;
    body: z.infer<typeof PushRegistrationRequest>;
  },
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
    const moved = await trx
      .updateTable('pushRegistration')
      .set(values)
      .where('channel', '=', body.channel)
      .where('token', '=', token)
      .where('deactivatedAt', 'is', null)
      .returning(['id', 'channel'])
      .executeTakeFirst();
    if (moved) return moved;
    const live = await trx
      .selectFrom('pushRegistration')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('residentId', '=', input.residentId)
      .where('deactivatedAt', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_DEVICES_PER_RESIDENT) throw new TooManyDevices();
    return trx
      .insertInto('pushRegistration')
      .values({ ...values, channel: body.channel, token })
      .returning(['id', 'channel'])
      .executeTakeFirstOrThrow();
  });
}

export async function unregisterPush(db: Db, residentId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const result = await db
    .updateTable('pushRegistration')
    .set({ deactivatedAt: sql`now()`, deactivationReason: 'unregistered' })
    .where('id', '=', id)
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A resident's devices that receive pushes now, newest first (the portal's settings page). */
export async function liveRegistrationsOf(db: Db, residentId: string) {
  return db
    .selectFrom('pushRegistration')
    .select(['id', 'channel', 'token', 'linkId', 'createdAt'])
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** One of the resident's live registrations, by its id or by its Web Push endpoint. */
export async function findLiveRegistration(
  db: Db,
  residentId: string,
  by: { id: string } | { endpoint: string },
): Promise<{ id: string } | undefined> {
  if ('id' in by && !isUuid(by.id)) return undefined;
  return db
    .selectFrom('pushRegistration')
    .select('id')
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .where((eb) => ('id' in by ? eb('id', '=', by.id) : eb('token', '=', by.endpoint)))
    .executeTakeFirst();
}
