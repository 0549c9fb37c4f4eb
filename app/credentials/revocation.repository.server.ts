/**
 * Queries of revocation and of the register data that triggers it (migrations 0037, 0039).
 * The first argument is the database or the caller's transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { RevocationReason } from './revocation.ts';

type Conn = Db | Transaction<Database>;

/** Every credential issued to the resident, newest first, with the app and device it went to. */
export function findCredentialsOfResident(db: Conn, residentId: string) {
  return db
    .selectFrom('issuedCredential as c')
    .innerJoin('credentialIssuanceRequest as r', (join) =>
      join.onRef('r.residentId', '=', 'c.residentId').onRef('r.id', '=', 'c.requestId'),
    )
    .innerJoin('appLink as l', (join) =>
      join.onRef('l.residentId', '=', 'r.residentId').onRef('l.id', '=', 'r.linkId'),
    )
    .innerJoin('appClient as a', 'a.id', 'r.clientId')
    .select([
      'c.id',
      'c.doctype',
      'c.deviceKeyThumbprint',
      'c.signedAt',
      'c.validUntil',
      'c.revokedAt',
      'c.revokedReason',
      'c.revokedNote',
      'a.name as clientName',
      'l.deviceName',
    ])
    .where('c.residentId', '=', residentId)
    .orderBy('c.signedAt', 'desc')
    .orderBy('c.statusIndex', 'desc')
    .execute();
}

/**
 * Revokes the resident's live credentials (those named, or all): the ids revoked now. Rows
 * are locked in id order, so two revocations of one resident serialise and the second one
 * finds nothing left to do.
 */
export async function revokeActive(
  trx: Transaction<Database>,
  residentId: string,
  which: { ids: string[] } | 'all',
  revocation: { reason: RevocationReason; note: string | null; by: string | null; at: Date },
): Promise<string[]> {
  let locked = trx
    .selectFrom('issuedCredential')
    .select('id')
    .where('residentId', '=', residentId)
    .where('revokedAt', 'is', null);
  if (which !== 'all') {
    if (which.ids.length === 0) return [];
    locked = locked.where('id', 'in', which.ids);
  }
  const rows = await locked.orderBy('id').forUpdate().execute();
  if (rows.length === 0) return [];
  await trx
    .updateTable('issuedCredential')
    .set({
      revokedAt: revocation.at,
      revokedBy: revocation.by,
      revokedReason: revocation.reason,
      revokedNote: revocation.reason === 'staff_other' ? revocation.note : null,
    })
    .where('residentId', '=', residentId)
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Which of `ids` belong to the resident (the others are unknown to this resident). */
export async function findOwnCredentialIds(db: Conn, residentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('issuedCredential')
    .select('id')
    .where('residentId', '=', residentId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

// ---- register data -----------------------------------------------------------------------

/** The card row as it was (locked), then stored as given; the old issue date, if any. */
export async function upsertResidentCard(
  trx: Transaction<Database>,
  card: { residentId: string; issuedOn: string; expiresOn: string },
): Promise<{ previousIssuedOn: string | null }> {
  const before = await trx
    .selectFrom('residentCard')
    .select(sql<string>`issued_on::text`.as('issuedOn'))
    .where('residentId', '=', card.residentId)
    .forUpdate()
    .executeTakeFirst();
  await trx
    .insertInto('residentCard')
    .values(card)
    .onConflict((oc) =>
      oc
        .column('residentId')
        .doUpdateSet({ issuedOn: card.issuedOn, expiresOn: card.expiresOn, updatedAt: sql`now()` }),
    )
    .execute();
  return { previousIssuedOn: before?.issuedOn ?? null };
}

/** Records the end of the resident's registration; false when it was recorded already. */
export async function insertRegisterEnd(
  trx: Transaction<Database>,
  end: { residentId: string; reason: 'moved_out' | 'died'; endedOn: string },
): Promise<boolean> {
  const row = await trx
    .insertInto('residentRegisterEnd')
    .values(end)
    .onConflict((oc) => oc.column('residentId').doNothing())
    .returning('residentId')
    .executeTakeFirst();
  return row !== undefined;
}

/** The document types of these credentials of the resident (each once). */
export async function findDoctypesOf(
  db: Conn,
  residentId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('issuedCredential')
    .select('doctype')
    .distinct()
    .where('residentId', '=', residentId)
    .where('id', 'in', ids)
    .orderBy('doctype')
    .execute();
  return rows.map((r) => r.doctype);
}
