/**
 * Queries of card-pickup targets. The first argument is the database or the caller's
 * transaction; every query is within one city (municipality_code leads every index).
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { PickupState } from './target.ts';

type Conn = Db | Transaction<Database>;

export type TargetCriteria = {
  /** Folded name prefix (name_search). */
  namePrefix?: string;
  /** Katakana prefix without spaces (kana_search). */
  kanaPrefix?: string;
  birthDate?: string;
  applicationId?: string;
  manufactureNo?: string;
  reservationId?: string;
  state?: PickupState;
  /** Part of the address, as written. */
  addressPart?: string;
};

/** What a list of targets shows; a target's page adds the rest. */
export const TARGET_COLUMNS = [
  'id',
  'applicationId',
  'manufactureNo',
  'name',
  'nameKana',
  'birthDate',
  'postalCode',
  'address',
  'state',
  'reservationId',
] as const;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Targets matching every given criterion, by kana then name; at most `limit`. */
export function findTargets(
  db: Conn,
  municipalityCode: string,
  criteria: TargetCriteria,
  limit: number,
) {
  let query = db
    .selectFrom('pickupTarget')
    .select(TARGET_COLUMNS)
    .where('municipalityCode', '=', municipalityCode);
  if (criteria.namePrefix)
    query = query.where('nameSearch', 'like', `${escapeLike(criteria.namePrefix)}%`);
  if (criteria.kanaPrefix)
    query = query.where('kanaSearch', 'like', `${escapeLike(criteria.kanaPrefix)}%`);
  if (criteria.birthDate) query = query.where('birthDate', '=', criteria.birthDate);
  if (criteria.applicationId) query = query.where('applicationId', '=', criteria.applicationId);
  if (criteria.manufactureNo) query = query.where('manufactureNo', '=', criteria.manufactureNo);
  if (criteria.reservationId) query = query.where('reservationId', '=', criteria.reservationId);
  if (criteria.state) query = query.where('state', '=', criteria.state);
  if (criteria.addressPart)
    query = query.where(
      sql<string>`replace(normalize(address, NFKC), ' ', '')`,
      'like',
      `%${escapeLike(criteria.addressPart)}%`,
    );
  return query.orderBy('kanaSearch').orderBy('nameSearch').orderBy('id').limit(limit).execute();
}
