/** Queries of the booking site's sessions (first argument: db or the caller's trx). */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

export async function insertBookingSession(
  db: Conn,
  session: {
    tokenHash: Buffer;
    municipalityCode: string;
    targetId: string;
    credentialsVersion: number;
    via: 'password' | 'qr' | 'portal';
    idleExpiresAt: Date;
    absoluteExpiresAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('bookingSession')
    .values(session)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session behind a token hash with the target it signs in as. */
export function findBookingSession(db: Conn, tokenHash: Buffer) {
  return db
    .selectFrom('bookingSession as s')
    .innerJoin('pickupTarget as t', (join) =>
      join.onRef('t.municipalityCode', '=', 's.municipalityCode').onRef('t.id', '=', 's.targetId'),
    )
    .select([
      's.id',
      's.municipalityCode',
      's.targetId',
      's.credentialsVersion as sessionVersion',
      's.via',
      's.lastSeenAt',
      's.idleExpiresAt',
      's.absoluteExpiresAt',
      's.endedAt',
      't.credentialsVersion as targetVersion',
      't.state',
      't.name',
      't.reservationId',
    ])
    .where('s.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export async function updateBookingSessionSeen(
  db: Conn,
  id: string,
  seen: { lastSeenAt: Date; idleExpiresAt: Date },
): Promise<void> {
  await db.updateTable('bookingSession').set(seen).where('id', '=', id).execute();
}

export async function updateBookingSessionEnded(db: Conn, id: string, now: Date): Promise<void> {
  await db
    .updateTable('bookingSession')
    .set({ endedAt: now })
    .where('id', '=', id)
    .where('endedAt', 'is', null)
    .execute();
}

/** Ends every open session of a target (its password was reissued); how many were open. */
export async function endBookingSessionsOfTarget(
  db: Conn,
  municipalityCode: string,
  targetId: string,
  now: Date,
): Promise<number> {
  const rows = await db
    .updateTable('bookingSession')
    .set({ endedAt: now })
    .where('municipalityCode', '=', municipalityCode)
    .where('targetId', '=', targetId)
    .where('endedAt', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** A target as the booking sign-in checks it, by reservation ID or by id. */
export function findTargetToSignIn(
  db: Conn,
  by: { reservationId: string } | { municipalityCode: string; targetId: string },
) {
  let query = db
    .selectFrom('pickupTarget')
    .select(['municipalityCode', 'id', 'passwordHash', 'credentialsVersion', 'state']);
  query =
    'reservationId' in by
      ? query.where('reservationId', '=', by.reservationId)
      : query.where('municipalityCode', '=', by.municipalityCode).where('id', '=', by.targetId);
  return query.where('reservationId', 'is not', null).executeTakeFirst();
}
