import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { PushRegistrationRequest } from './api.schema.ts';
import { isUuid } from '../platform/ids.ts';

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
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('pushRegistration')
      .set({ deactivatedAt: sql`now()`, deactivationReason: 're-registered' })
      .where('channel', '=', body.channel)
      .where('token', '=', token)
      .where('deactivatedAt', 'is', null)
      .execute();
    return trx
      .insertInto('pushRegistration')
      .values({
        residentId: input.residentId,
        linkId: input.linkId,
        channel: body.channel,
        token,
        p256dh: body.channel === 'webpush' ? body.keys.p256dh : null,
        auth: body.channel === 'webpush' ? body.keys.auth : null,
        locale: body.locale ?? 'ja',
      })
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
