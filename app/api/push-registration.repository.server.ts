/**
 * Every query of push registrations made by the app API and the portal (sending is the push
 * domain's). The first argument is the database or the caller's transaction.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, PushChannel, PushRegistrationTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

type PushRegistrationRow = Selectable<PushRegistrationTable>;

type Address = Pick<PushRegistrationRow, 'residentId' | 'linkId' | 'p256dh' | 'auth' | 'locale'>;

/** Moves a live registration of this device token to a new owner or link; undefined if none. */
export function updateLiveRegistrationByToken(
  db: Conn,
  channel: PushChannel,
  token: string,
  values: Address,
) {
  return db
    .updateTable('pushRegistration')
    .set(values)
    .where('channel', '=', channel)
    .where('token', '=', token)
    .where('deactivatedAt', 'is', null)
    .returning(['id', 'channel'])
    .executeTakeFirst();
}

export async function countLiveRegistrationsOfResident(
  db: Conn,
  residentId: string,
): Promise<number> {
  const live = await db
    .selectFrom('pushRegistration')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(live.n);
}

export function insertRegistration(
  db: Conn,
  values: Address & { channel: PushChannel; token: string },
) {
  return db
    .insertInto('pushRegistration')
    .values(values)
    .returning(['id', 'channel'])
    .executeTakeFirstOrThrow();
}

/** Deactivates one live registration of the resident; whether it was live. */
export async function deactivateRegistrationOfResident(
  db: Conn,
  residentId: string,
  id: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('pushRegistration')
    .set({ deactivatedAt: sql`now()`, deactivationReason: reason })
    .where('id', '=', id)
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deactivates the live registrations of these links, or of every link of a client. */
export async function deactivateRegistrationsOfLinks(
  db: Conn,
  which: { linkIds: string[] } | { clientId: string },
  reason: string,
  now: Date,
): Promise<void> {
  if ('linkIds' in which && which.linkIds.length === 0) return;
  const update = db
    .updateTable('pushRegistration')
    .set({ deactivatedAt: now, deactivationReason: reason })
    .where('deactivatedAt', 'is', null);
  await (
    'linkIds' in which
      ? update.where('linkId', 'in', which.linkIds)
      : update.where('linkId', 'in', (eb) =>
          eb.selectFrom('appLink').select('id').where('clientId', '=', which.clientId),
        )
  ).execute();
}

/** A resident's live registrations, newest first. */
export function findLiveRegistrationsOfResident(db: Conn, residentId: string) {
  return db
    .selectFrom('pushRegistration')
    .select(['id', 'channel', 'token', 'linkId', 'createdAt'])
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** One of the resident's live registrations, by its id or by its Web Push endpoint. */
export function findLiveRegistrationOfResident(
  db: Conn,
  residentId: string,
  by: { id: string } | { endpoint: string },
) {
  return db
    .selectFrom('pushRegistration')
    .select('id')
    .where('residentId', '=', residentId)
    .where('deactivatedAt', 'is', null)
    .where((eb) => ('id' in by ? eb('id', '=', by.id) : eb('token', '=', by.endpoint)))
    .executeTakeFirst();
}
