/** Queries of booking from the portal (decision 0055; first argument: db or the caller's trx). */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

/** Each resident with the pickup targets their card matches (the rule of decision 0055). */
function residentsWithTargets(db: Conn) {
  return db
    .selectFrom('resident as r')
    .innerJoin('pickupTarget as t', (join) =>
      join
        .onRef('t.municipalityCode', '=', 'r.municipalityCode')
        .onRef('t.manufactureNo', '=', 'r.cardManufactureNumber')
        .onRef('t.birthDate', '=', 'r.birthDate'),
    );
}

/**
 * The pickup targets a resident's card matches (decision 0055): the same city, the card's
 * manufacture number and the same date of birth; cancelled targets do not count. With each,
 * how many residents of the city match it the same way (more than one: ambiguous). At most
 * two rows: two already mean "ambiguous".
 */
export function findTargetsOfResident(db: Conn, residentId: string) {
  return residentsWithTargets(db)
    .select((eb) => [
      't.municipalityCode',
      't.id',
      't.state',
      't.credentialsVersion',
      't.reservationId',
      't.stateChangedAt',
      eb
        .selectFrom('resident as o')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('o.municipalityCode', '=', 't.municipalityCode')
        .whereRef('o.cardManufactureNumber', '=', 't.manufactureNo')
        .whereRef('o.birthDate', '=', 't.birthDate')
        .as('residents'),
    ])
    .where('r.id', '=', residentId)
    .where('t.state', '<>', 'cancelled')
    .orderBy('t.id')
    .limit(2)
    .execute();
}

/** The residents whose card matches one of these targets by the same rule, with its state. */
export function findResidentsOfTargets(db: Conn, municipalityCode: string, targetIds: string[]) {
  return residentsWithTargets(db)
    .select(['t.id as targetId', 't.state', 'r.id as residentId'])
    .where('t.municipalityCode', '=', municipalityCode)
    .where('t.id', 'in', targetIds)
    .execute();
}

/** Whether the resident got a to-do of this kind at or after `since` (open or closed since). */
export async function hasTodoOfKindSince(db: Conn, residentId: string, kind: string, since: Date) {
  const row = await db
    .selectFrom('todo')
    .select('id')
    .where('residentId', '=', residentId)
    .where('kind', '=', kind)
    .where('createdAt', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}
