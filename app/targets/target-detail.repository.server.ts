/** What the staff page of one target shows: the target, its moves and its hand-over. */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { TARGET_COLUMNS } from './target.repository.server.ts';

export function findTargetDetail(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
) {
  return trx
    .selectFrom('pickupTarget')
    .select([
      ...TARGET_COLUMNS,
      'sex',
      'stateChangedAt',
      'credentialsIssuedAt',
      'createdAt',
      'updatedAt',
    ])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .executeTakeFirst();
}

/** Every change of state, oldest first, with the name of the staff member who made it. */
export function findTargetMoves(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
) {
  return trx
    .selectFrom('pickupTargetMove as m')
    .leftJoin('account as a', 'a.id', 'm.movedBy')
    .select(['m.fromState', 'm.toState', 'm.movedAt', 'm.reason', 'a.displayName as movedBy'])
    .where('m.municipalityCode', '=', municipalityCode)
    .where('m.targetId', '=', targetId)
    .orderBy('m.id')
    .execute();
}

/** The hand-overs of this target (one per card), newest first. */
export function findHandovers(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
) {
  return trx
    .selectFrom('pickupHandover as h')
    .innerJoin('account as a', 'a.id', 'h.issuedBy')
    .select([
      'h.manufactureNo',
      'h.issuedAt',
      'a.displayName as issuedBy',
      'h.identityDocuments',
      'h.faceCheck',
      'h.userCertificate',
      'h.signingCertificate',
      'h.pinSetup',
    ])
    .where('h.municipalityCode', '=', municipalityCode)
    .where('h.targetId', '=', targetId)
    .orderBy('h.issuedAt', 'desc')
    .execute();
}
