/**
 * Queries of e-certificate renewal targets. The first argument is the database or the
 * caller's transaction; every query is within one city.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { ClearReason, RenewalState } from './renewal.ts';
import type { RenewalRow } from './renewal-csv.ts';

type Conn = Db | Transaction<Database>;

export type RenewalCriteria = {
  namePrefix?: string;
  kanaPrefix?: string;
  birthDate?: string;
  noticeNumber?: string;
  reservationId?: string;
  residentRegisterCode?: string;
  state?: RenewalState;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const LISTED = [
  'id',
  'residentRegisterCode',
  'name',
  'nameKana',
  'birthDate',
  'address',
  'noticeNumber',
  'certificateExpiresOn',
  'state',
] as const;

/** Targets matching every given criterion, by kana then name; at most `limit`. */
export function findRenewals(
  db: Conn,
  municipalityCode: string,
  criteria: RenewalCriteria,
  limit: number,
) {
  let query = db
    .selectFrom('renewalTarget')
    .select(LISTED)
    .where('municipalityCode', '=', municipalityCode);
  if (criteria.namePrefix)
    query = query.where('nameSearch', 'like', `${escapeLike(criteria.namePrefix)}%`);
  if (criteria.kanaPrefix)
    query = query.where('kanaSearch', 'like', `${escapeLike(criteria.kanaPrefix)}%`);
  if (criteria.birthDate) query = query.where('birthDate', '=', criteria.birthDate);
  if (criteria.noticeNumber) query = query.where('noticeNumber', '=', criteria.noticeNumber);
  if (criteria.reservationId) query = query.where('reservationId', '=', criteria.reservationId);
  if (criteria.residentRegisterCode)
    query = query.where('residentRegisterCode', '=', criteria.residentRegisterCode);
  if (criteria.state) query = query.where('state', '=', criteria.state);
  return query.orderBy('kanaSearch').orderBy('nameSearch').orderBy('id').limit(limit).execute();
}

/** One target with its history: who added, renewed or cleared it, and when. */
export function findRenewal(db: Conn, municipalityCode: string, id: string) {
  return db
    .selectFrom('renewalTarget as r')
    .leftJoin('account as c', 'c.id', 'r.createdBy')
    .leftJoin('account as n', 'n.id', 'r.renewedBy')
    .leftJoin('account as x', 'x.id', 'r.clearedBy')
    .select([
      'r.id',
      'r.residentRegisterCode',
      'r.name',
      'r.nameKana',
      'r.birthDate',
      'r.address',
      'r.noticeNumber',
      'r.certificateExpiresOn',
      'r.state',
      'r.clearReason',
      'r.clearNote',
      'r.origin',
      'r.createdAt',
      'c.displayName as createdByName',
      'r.renewedAt',
      'n.displayName as renewedByName',
      'r.clearedAt',
      'x.displayName as clearedByName',
      'r.reservationId',
    ])
    .where('r.municipalityCode', '=', municipalityCode)
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** The targets to print, in the order asked for. */
export async function findRenewalsByIds(db: Conn, municipalityCode: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('renewalTarget')
    .select(LISTED)
    .where('municipalityCode', '=', municipalityCode)
    .where('id', 'in', ids)
    .execute();
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

export function insertManualRenewal(
  trx: Transaction<Database>,
  values: RenewalRow & { municipalityCode: string; createdBy: string },
) {
  return trx
    .insertInto('renewalTarget')
    .values({ ...values, origin: 'manual' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The active target with this code, if any. */
export function findActiveByCode(db: Conn, municipalityCode: string, code: string) {
  return db
    .selectFrom('renewalTarget')
    .select('id')
    .where('municipalityCode', '=', municipalityCode)
    .where('residentRegisterCode', '=', code)
    .where('state', '=', 'active')
    .executeTakeFirst();
}

/** Closes an active target; undefined when it is not (or no longer) active. */
export function closeRenewal(
  trx: Transaction<Database>,
  key: { municipalityCode: string; id: string },
  change:
    | { state: 'renewed'; by: string; at: Date }
    | { state: 'cleared'; by: string; at: Date; reason: ClearReason; note: string | null },
) {
  return trx
    .updateTable('renewalTarget')
    .set(
      change.state === 'renewed'
        ? { state: 'renewed', renewedBy: change.by, renewedAt: change.at }
        : {
            state: 'cleared',
            clearedBy: change.by,
            clearedAt: change.at,
            clearReason: change.reason,
            clearNote: change.note,
          },
    )
    .where('municipalityCode', '=', key.municipalityCode)
    .where('id', '=', key.id)
    .where('state', '=', 'active')
    .returning('id')
    .executeTakeFirst();
}

/** One page of the export, in id order after `after`. */
export function renewalExportPage(
  db: Conn,
  municipalityCode: string,
  filter: { state?: RenewalState; after?: string },
  limit: number,
) {
  let query = db
    .selectFrom('renewalTarget')
    .select([
      ...LISTED,
      'clearReason',
      'clearNote',
      sql<Date | null>`coalesce(renewed_at, cleared_at)`.as('closedAt'),
    ])
    .where('municipalityCode', '=', municipalityCode);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.after) query = query.where('id', '>', filter.after);
  return query.orderBy('id').limit(limit).execute();
}
