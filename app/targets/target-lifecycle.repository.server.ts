/** Queries of the targets' lifecycle and hand-overs (first argument: the caller's trx). */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PickupState } from './target.ts';

export function lockTargetForUpdate(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
) {
  return trx
    .selectFrom('pickupTarget')
    .select(['id', 'state', 'manufactureNo', 'birthDate'])
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The move itself. The trigger of migration 20261202_0025 writes the history row, with who
 * moved it and why taken from two settings local to this transaction, set here first.
 */
export async function updateTargetState(
  trx: Transaction<Database>,
  municipalityCode: string,
  targetId: string,
  state: PickupState,
  move: { by: string | null; reason?: string | null },
): Promise<void> {
  await sql`select set_config('madoguchi.move_by', ${move.by ?? ''}, true),
                   set_config('madoguchi.move_reason', ${move.reason ?? ''}, true)`.execute(trx);
  await trx
    .updateTable('pickupTarget')
    .set({ state })
    .where('municipalityCode', '=', municipalityCode)
    .where('id', '=', targetId)
    .execute();
}

/** The hand-over row; undefined when this card of this target was handed over already. */
export function insertHandover(
  trx: Transaction<Database>,
  handover: {
    municipalityCode: string;
    targetId: string;
    manufactureNo: string;
    issuedAt: Date;
    issuedBy: string;
    identityDocuments: string[];
    faceCheck: 'matched' | 'not_matched';
    userCertificate: boolean;
    signingCertificate: boolean;
    pinSetup: boolean;
  },
) {
  return trx
    .insertInto('pickupHandover')
    .values(handover)
    .onConflict((oc) => oc.doNothing())
    .returning('targetId')
    .executeTakeFirst();
}
