/**
 * Queries of the target export (decision 0047): pages of one city's targets in application-ID
 * order (keyset on the unique (municipality_code, application_id) index), each with its
 * latest hand-over, and the counts and choices the export page shows.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { PickupState } from './target.ts';
import type { TargetExportRecord } from './target-export-csv.ts';

type Conn = Db | Transaction<Database>;

export type TargetExportFilter = {
  municipalityCode: string;
  state?: PickupState;
  importId?: string;
};

function filtered(db: Conn, filter: TargetExportFilter) {
  let query = db
    .selectFrom('pickupTarget as t')
    .where('t.municipalityCode', '=', filter.municipalityCode);
  if (filter.state) query = query.where('t.state', '=', filter.state);
  if (filter.importId) query = query.where('t.importId', '=', filter.importId);
  return query;
}

export async function countExportTargets(db: Conn, filter: TargetExportFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next `limit` targets after `after` (an application ID), with their latest hand-over. */
export function exportTargetPage(
  db: Conn,
  filter: TargetExportFilter,
  after: string | null,
  limit: number,
): Promise<(TargetExportRecord & { applicationId: string })[]> {
  let query = filtered(db, filter)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('pickupHandover as h')
          .leftJoin('account as a', 'a.id', 'h.issuedBy')
          .select([
            'h.issuedAt',
            'h.issuedBy',
            'a.displayName as issuedByName',
            'h.manufactureNo as handoverManufactureNo',
            'h.identityDocuments',
            'h.faceCheck',
            'h.userCertificate',
            'h.signingCertificate',
            'h.pinSetup',
          ])
          .whereRef('h.municipalityCode', '=', 't.municipalityCode')
          .whereRef('h.targetId', '=', 't.id')
          .orderBy('h.issuedAt', 'desc')
          .limit(1)
          .as('ho'),
      (join) => join.onTrue(),
    )
    .select([
      't.applicationId',
      't.manufactureNo',
      't.name',
      't.nameKana',
      't.birthDate',
      't.sex',
      't.postalCode',
      't.address',
      't.state',
      't.createdAt',
      't.setupDoneAt',
      't.letterPrintedAt',
      't.bookedAt',
      't.issuedAt as stateIssuedAt',
      't.cancelledAt',
      't.reissuedAt',
      't.stateChangedAt',
      't.updatedAt',
      't.credentialsIssuedAt',
      't.reservationId',
      't.credentialsVersion',
      'ho.issuedAt',
      'ho.issuedBy',
      'ho.issuedByName',
      'ho.handoverManufactureNo',
      'ho.identityDocuments',
      'ho.faceCheck',
      'ho.userCertificate',
      'ho.signingCertificate',
      'ho.pinSetup',
    ]);
  if (after !== null) query = query.where('t.applicationId', '>', after);
  return query.orderBy('t.applicationId').limit(limit).execute();
}

/** The city's newest confirmed imports, for choosing "the targets of one import". */
export function listExportImports(db: Conn, municipalityCode: string, limit: number) {
  return (
    db
      .selectFrom('targetImport')
      .select(['id', 'municipalityCode', 'fileName', 'confirmedAt'])
      // Set when the import was staged; a confirmed import always was.
      .select((eb) => eb.fn.coalesce('lineCount', eb.lit(0)).as('lineCount'))
      .where('municipalityCode', '=', municipalityCode)
      .where('state', '=', 'confirmed')
      .orderBy('confirmedAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()
  );
}
