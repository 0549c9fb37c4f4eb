/** Queries of reservation-letter batches (first argument: db or the caller's trx). */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { tokyoDayEnd, tokyoDayStart } from '../i18n/dates.ts';
import type { PickupState } from './target.ts';
import type { LetterBatchFilter } from './target-letters.schema.ts';

type Conn = Db | Transaction<Database>;

function selection(db: Conn, municipalityCode: string, filter: LetterBatchFilter) {
  const query = db.selectFrom('pickupTarget').where('municipalityCode', '=', municipalityCode);
  switch (filter.by) {
    case 'import':
      return query.where('importId', '=', filter.importId);
    case 'dates':
      return query
        .where('createdAt', '>=', tokyoDayStart(filter.from))
        .where('createdAt', '<', tokyoDayEnd(filter.to));
    case 'state':
      return query.where('state', '=', filter.state);
    case 'target':
      return query.where('id', '=', filter.targetId);
  }
}

/** How many of the chosen targets are in each state, with and without credentials. */
export function countSelection(db: Conn, municipalityCode: string, filter: LetterBatchFilter) {
  return selection(db, municipalityCode, filter)
    .select((eb) => [
      'state',
      eb('reservationId', 'is not', null).as('hasCredentials'),
      eb.fn.countAll<string>().as('count'),
    ])
    .groupBy(['state', sql`reservation_id is not null`])
    .execute();
}

/** The chosen targets in these states, in envelope order (postal code, address), locked. */
export function lockSelection(
  trx: Transaction<Database>,
  municipalityCode: string,
  filter: LetterBatchFilter,
  states: readonly PickupState[],
  limit: number,
) {
  return selection(trx, municipalityCode, filter)
    .select(['id', 'state'])
    .where('state', 'in', states)
    .orderBy('postalCode')
    .orderBy('address')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

/** setup_done → letter_printed for these targets (the lifecycle trigger checks each move). */
export async function updateStatePrinted(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetIds: readonly string[],
): Promise<string[]> {
  const rows = await trx
    .updateTable('pickupTarget')
    .set({ state: 'letter_printed' })
    .where('municipalityCode', '=', municipalityCode)
    .where('id', 'in', targetIds)
    .where('state', '=', 'setup_done')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertLetterBatch(
  trx: Transaction<Database>,
  batch: { municipalityCode: string; targetIds: string[]; filter: string; createdBy: string },
): Promise<string> {
  const row = await trx
    .insertInto('targetLetterBatch')
    .values(batch)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findLetterBatch(db: Conn, municipalityCode: string, batchId: string) {
  return db
    .selectFrom('targetLetterBatch')
    .select(['municipalityCode', 'id', 'targetIds', 'createdBy', 'createdAt'])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', batchId)
    .executeTakeFirst();
}

/** What each letter of a batch prints, in the batch's order. */
export function findLetterRecipients(
  db: Conn,
  municipalityCode: string,
  targetIds: readonly string[],
) {
  return db
    .selectFrom('pickupTarget')
    .select([
      'id',
      'name',
      'postalCode',
      'address',
      'state',
      'reservationId',
      'passwordSealed',
      'credentialsVersion',
    ])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', 'in', targetIds)
    .orderBy(sql`array_position(${sql.val(targetIds)}::uuid[], id)`)
    .execute();
}

/** Whether the city has any card-pickup target. */
export async function cityHasTargets(db: Conn, municipalityCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('pickupTarget')
    .select('id')
    .where('municipalityCode', '=', municipalityCode)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The city's target with this id, if it is the city's. */
export function findTargetOfCity(db: Conn, municipalityCode: string, targetId: string) {
  return db
    .selectFrom('pickupTarget')
    .select('id')
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .executeTakeFirst();
}

/** The city's latest confirmed imports, newest first. */
export function findRecentImports(db: Conn, municipalityCode: string, limit: number) {
  return (
    db
      .selectFrom('targetImport')
      .select(['id', 'fileName', 'confirmedAt'])
      // Set when the import was staged; a confirmed import always was.
      .select((eb) => eb.fn.coalesce('lineCount', eb.lit(0)).as('lineCount'))
      .where('municipalityCode', '=', municipalityCode)
      .where('state', '=', 'confirmed')
      .orderBy('confirmedAt', 'desc')
      .limit(limit)
      .execute()
  );
}

/** The city's target with the reservation ID on its letter (unique across cities). */
export function findTargetByReservationId(
  db: Conn,
  municipalityCode: string,
  reservationId: string,
) {
  return db
    .selectFrom('pickupTarget')
    .select(['municipalityCode', 'id', 'name', 'address', 'state', 'credentialsVersion'])
    .where('municipalityCode', '=', municipalityCode)
    .where('reservationId', '=', reservationId)
    .executeTakeFirst();
}

/** The city's name as the resident register spells it, or its code when no resident says. */
export async function findCityName(db: Conn, municipalityCode: string): Promise<string> {
  const row = await db
    .selectFrom('resident')
    .select('municipalityName')
    .where('municipalityCode', '=', municipalityCode)
    .limit(1)
    .executeTakeFirst();
  return row?.municipalityName ?? municipalityCode;
}
