/**
 * Moving a card-pickup target through its lifecycle and recording the hand-over at the counter
 * (decision 0042). The database decides which moves are allowed (pickup_transition and its
 * trigger); the service turns a refusal into an answer and records every move with who and
 * when, in the transaction that makes it.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { canMove, type PickupState } from './target.ts';
import {
  insertHandover,
  lockTargetForUpdate,
  updateTargetState,
} from './target-lifecycle.repository.server.ts';
import {
  residentsOfTarget,
  syncPickupTodos,
} from '../reservations/portal-booking.service.server.ts';
import { recordResidentCard } from '../credentials/revocation.service.server.ts';
import { cardExpiry } from '../credentials/card-validity.ts';
import { tokyoDate } from '../i18n/dates.ts';

export type MoveOutcome =
  | { outcome: 'moved'; from: PickupState; to: PickupState }
  | { outcome: 'not_found' }
  | { outcome: 'not_allowed'; from: PickupState }
  | { outcome: 'changed'; state: PickupState }
  | { outcome: 'reason_required' };

export type MoveOptions = {
  /** The state the clerk saw: when the target moved since, nothing is done ('changed'). */
  expectedFrom?: PickupState;
  /** Why (required to cancel, 廃止); kept in the history and the audit entry. */
  reason?: string;
};

export async function moveTarget(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  targetId: string,
  to: PickupState,
  options: MoveOptions = {},
): Promise<MoveOutcome> {
  const reason = options.reason?.trim() || null;
  if (to === 'cancelled' && !reason) return { outcome: 'reason_required' };
  return db.transaction().execute(async (trx): Promise<MoveOutcome> => {
    const target = await lockTargetForUpdate(trx, municipalityCode, targetId);
    if (!target) return { outcome: 'not_found' };
    // A page opened before another clerk's move: say so rather than act on what was not seen.
    if (options.expectedFrom && options.expectedFrom !== target.state)
      return { outcome: 'changed', state: target.state };
    // Asked first so that a refused move is an answer, not an aborted transaction; the
    // database's trigger still refuses anything this check would let through by mistake.
    if (!canMove(target.state, to)) return { outcome: 'not_allowed', from: target.state };
    await updateTargetState(trx, municipalityCode, targetId, to, { by: actor.actorId, reason });
    await syncPickupTodos(trx, municipalityCode, [targetId]);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.transition',
      targetType: 'pickup_target',
      targetId,
      outcome: 'success',
      // The reason is the clerk's words about the case, not the person's data.
      details: { from: target.state, to, ...(reason ? { reason } : {}) },
    });
    return { outcome: 'moved', from: target.state, to };
  });
}

export type Handover = {
  issuedAt: Date;
  identityDocuments: string[];
  faceCheck: 'matched' | 'not_matched';
  userCertificate: boolean;
  signingCertificate: boolean;
  pinSetup: boolean;
};

export type HandoverOutcome =
  | { outcome: 'issued' }
  | { outcome: 'not_found' }
  | { outcome: 'already_issued' }
  | { outcome: 'not_booked'; state: PickupState }
  | { outcome: 'face_not_matched' };

/**
 * The card handed over: the hand-over row (one per target and card: the primary key refuses a
 * second) and the move booked → issued, with its audit entry, in one transaction. A face that
 * does not match the card's photo refuses the hand-over: nothing is stored but the refusal's
 * audit entry.
 */
export async function recordHandover(
  db: Db,
  actor: AuditActor & { actorId: string },
  municipalityCode: string,
  targetId: string,
  handover: Handover,
): Promise<HandoverOutcome> {
  return db.transaction().execute(async (trx): Promise<HandoverOutcome> => {
    const target = await lockTargetForUpdate(trx, municipalityCode, targetId);
    if (!target) return { outcome: 'not_found' };
    if (target.state === 'issued') return { outcome: 'already_issued' };
    if (target.state !== 'booked') return { outcome: 'not_booked', state: target.state };
    if (handover.faceCheck !== 'matched') {
      await recordAudit(trx, {
        ...actor,
        action: 'targets.handover',
        targetType: 'pickup_target',
        targetId,
        outcome: 'denied',
        details: { faceCheck: handover.faceCheck },
      });
      return { outcome: 'face_not_matched' };
    }
    const inserted = await insertHandover(trx, {
      municipalityCode,
      targetId,
      manufactureNo: target.manufactureNo,
      issuedBy: actor.actorId,
      ...handover,
    });
    if (!inserted) return { outcome: 'already_issued' };
    await updateTargetState(trx, municipalityCode, targetId, 'issued', { by: actor.actorId });
    await syncPickupTodos(trx, municipalityCode, [targetId]);
    // The resident now holds this card: its validity is what their mdocs are tied to, and the
    // mdocs of a card it replaces are revoked (card_reissued; decision 0062 addendum).
    const issuedOn = tokyoDate(handover.issuedAt);
    for (const residentId of await residentsOfTarget(trx, municipalityCode, targetId))
      await recordResidentCard(trx, {
        residentId,
        issuedOn,
        expiresOn: cardExpiry(target.birthDate, issuedOn),
      });
    await recordAudit(trx, {
      ...actor,
      action: 'targets.handover',
      targetType: 'pickup_target',
      targetId,
      outcome: 'success',
      details: {
        faceCheck: handover.faceCheck,
        documents: handover.identityDocuments,
        steps: {
          userCertificate: handover.userCertificate,
          signingCertificate: handover.signingCertificate,
          pinSetup: handover.pinSetup,
        },
      },
    });
    return { outcome: 'issued' };
  });
}
