/**
 * What staff do with a resident's letters at the desk, recorded: issuing a first-access letter
 * and printing one. The letters themselves are the letters domain's (app/letters/).
 */
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  issueLetterOnce,
  preparePrintableLetter,
  type IssueOutcome,
  type PrintableLetterResult,
} from '../letters/letter.service.server.ts';

/**
 * Issues the resident's first-access letter once per idempotency key ('letter.issue' is
 * recorded for a new letter, not for a replayed form), in the transaction that issues it.
 */
export async function issueFirstAccessLetter(
  db: Db,
  secrets: Secrets,
  actor: AuditActor & { actorId: string },
  input: { residentId: string; idempotencyKey: string },
): Promise<IssueOutcome> {
  return db.transaction().execute(async (trx) => {
    const issued = await issueLetterOnce(trx, secrets, {
      ...input,
      purpose: 'first_access',
      issuedBy: actor.actorId,
    });
    if (issued.outcome === 'issued')
      await recordAudit(trx, {
        ...actor,
        onBehalfOfResidentId: input.residentId,
        action: 'letter.issue',
        targetType: 'letter',
        targetId: issued.letterId,
        outcome: 'success',
        details: { purpose: 'first_access' },
      });
    return issued;
  });
}

/**
 * A letter ready to print, or why not ('letter.print' is recorded either way, except for a
 * letter that does not exist).
 */
export async function printLetter(
  db: Db,
  secrets: Secrets,
  actor: AuditActor,
  input: { letterId: string; lang: string; publicOrigin: string },
): Promise<PrintableLetterResult> {
  const found = await preparePrintableLetter(db, secrets, input);
  if (found.status === 'not_found') return found;
  const entry = {
    ...actor,
    onBehalfOfResidentId: found.status === 'printable' ? found.letter.residentId : found.residentId,
    action: 'letter.print',
    targetType: 'letter',
    targetId: input.letterId,
  };
  await recordAudit(
    db,
    found.status === 'unavailable'
      ? { ...entry, outcome: 'failure', details: { reason: found.reason } }
      : { ...entry, outcome: 'success' },
  );
  return found;
}
