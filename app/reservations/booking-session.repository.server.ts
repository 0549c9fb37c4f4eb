/** Queries of the booking site's sessions (first argument: db or the caller's trx). */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

/** Who a booking session signs in: a pickup target or a renewal target (decision 0055). */
export type BookingSubject = { targetId: string } | { renewalTargetId: string };

export async function insertBookingSession(
  db: Conn,
  session: {
    tokenHash: Buffer;
    municipalityCode: string;
    credentialsVersion: number;
    via: 'password' | 'qr' | 'portal';
    idleExpiresAt: Date;
    absoluteExpiresAt: Date;
  } & BookingSubject,
): Promise<string> {
  const row = await db
    .insertInto('bookingSession')
    .values(session)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session behind a token hash with the (pickup or renewal) target it signs in as. */
export function findBookingSession(db: Conn, tokenHash: Buffer) {
  return db
    .selectFrom('bookingSession as s')
    .leftJoin('pickupTarget as t', (join) =>
      join.onRef('t.municipalityCode', '=', 's.municipalityCode').onRef('t.id', '=', 's.targetId'),
    )
    .leftJoin('renewalTarget as r', (join) =>
      join
        .onRef('r.municipalityCode', '=', 's.municipalityCode')
        .onRef('r.id', '=', 's.renewalTargetId'),
    )
    .select([
      's.id',
      's.municipalityCode',
      's.credentialsVersion as sessionVersion',
      's.via',
      's.lastSeenAt',
      's.idleExpiresAt',
      's.absoluteExpiresAt',
      's.endedAt',
      't.id as targetId',
      't.credentialsVersion as targetVersion',
      't.state',
      't.name',
      't.reservationId',
      'r.id as renewalTargetId',
      'r.credentialsVersion as renewalVersion',
      'r.state as renewalState',
      'r.name as renewalName',
      'r.reservationId as renewalReservationId',
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

/** Ends every open session of a pickup or renewal target (password reissued); how many were open. */
export async function endBookingSessionsOfTarget(
  db: Conn,
  municipalityCode: string,
  who: { targetId: string } | { renewalTargetId: string },
  now: Date,
): Promise<number> {
  const rows = await db
    .updateTable('bookingSession')
    .set({ endedAt: now })
    .where('municipalityCode', '=', municipalityCode)
    .where((eb) =>
      'targetId' in who
        ? eb('targetId', '=', who.targetId)
        : eb('renewalTargetId', '=', who.renewalTargetId),
    )
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

/** A renewal target as the booking sign-in checks it, by reservation ID (decision 0055). */
export function findRenewalToSignIn(db: Conn, reservationId: string) {
  return db
    .selectFrom('renewalTarget')
    .select(['municipalityCode', 'id', 'passwordHash', 'credentialsVersion', 'state'])
    .where('reservationId', '=', reservationId)
    .executeTakeFirst();
}
