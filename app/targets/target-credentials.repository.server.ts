/** Queries of targets' reservation credentials (first argument: db or the caller's trx). */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

/** Who holds reservation credentials: pickup targets, and renewal targets (decision 0055). */
export type CredentialTable = 'pickupTarget' | 'renewalTarget';

/** These targets' credentials, in the order of their ids; locked when asked. */
export function findCredentialsOf(
  db: Conn,
  municipalityCode: string,
  targetIds: readonly string[],
  options: { forUpdate?: boolean } = {},
  table: CredentialTable = 'pickupTarget',
) {
  if (targetIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom(table as 'pickupTarget')
    .select(['id', 'reservationId', 'passwordSealed', 'credentialsVersion'])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', 'in', targetIds)
    .orderBy('id');
  if (options.forUpdate) query = query.forUpdate();
  return query.execute();
}

/** Gives a target its first credentials; a target that has them keeps them. */
export async function updateCredentialsIfNone(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
  credentials: {
    reservationId: string;
    passwordHash: string;
    passwordSealed: string;
    credentialsIssuedAt: Date;
  },
  table: CredentialTable = 'pickupTarget',
): Promise<void> {
  await trx
    .updateTable(table as 'pickupTarget')
    .set(credentials)
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .where('reservationId', 'is', null)
    .execute();
}

/** A new password and the next version, for a target that has credentials. */
export function updateCredentialsReissued(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
  credentials: { passwordHash: string; passwordSealed: string; credentialsIssuedAt: Date },
  table: CredentialTable = 'pickupTarget',
) {
  return trx
    .updateTable(table as 'pickupTarget')
    .set({ ...credentials, credentialsVersion: sql<number>`credentials_version + 1` })
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .where('reservationId', 'is not', null)
    .returning(['reservationId', 'credentialsVersion'])
    .executeTakeFirst();
}
