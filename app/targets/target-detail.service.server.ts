/**
 * One card-pickup target for the staff page (decision 0044): every field, each move of its
 * lifecycle with who and when, and its hand-over. Opening it reads personal data, so it is
 * recorded ('targets.view') in the same transaction as the read.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  findHandovers,
  findTargetDetail,
  findTargetMoves,
} from './target-detail.repository.server.ts';

export async function viewTarget(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  targetId: string,
) {
  return db.transaction().execute(async (trx) => {
    const target = await findTargetDetail(trx, municipalityCode, targetId);
    if (!target) return undefined;
    const [moves, handovers] = await Promise.all([
      findTargetMoves(trx, municipalityCode, targetId),
      findHandovers(trx, municipalityCode, targetId),
    ]);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.view',
      targetType: 'pickup_target',
      targetId,
      outcome: 'success',
    });
    return { target, moves, handovers };
  });
}
