import type { Transaction } from 'kysely';
import type { Database, LinkEndReason } from '../../db/schema.ts';

/**
 * Ends app links — every way a link can end goes through here, so that what belongs to a link
 * ends with it in the same transaction: its refresh tokens (and with them its access tokens)
 * are revoked and its push registrations are deactivated at once (Hardening #5).
 *
 * `{ linkId }` ends that link (its tokens and registrations are stopped even if it had ended
 * already); `{ residentId, clientId }` ends the resident's live link with that client, if any.
 * Returns the ids of the links it stopped.
 */
export async function endLinks(
  trx: Transaction<Database>,
  which: { linkId: string } | { residentId: string; clientId: string },
  reason: LinkEndReason,
  now: Date,
): Promise<{ ended: string[]; stopped: string[] }> {
  let update = trx
    .updateTable('appLink')
    .set({ endedAt: now, endReason: reason })
    .where('endedAt', 'is', null);
  update =
    'linkId' in which
      ? update.where('id', '=', which.linkId)
      : update.where('residentId', '=', which.residentId).where('clientId', '=', which.clientId);
  const ended = (await update.returning('id').execute()).map((r) => r.id);
  const stopped = 'linkId' in which ? [which.linkId] : ended;
  if (stopped.length === 0) return { ended, stopped };
  await trx
    .updateTable('appRefreshToken')
    .set({ revokedAt: now })
    .where('linkId', 'in', stopped)
    .where('revokedAt', 'is', null)
    .execute();
  await stopRegistrations(trx, stopped, `link ${reason}`, now);
  return { ended, stopped };
}

/** Deactivates the live push registrations of these links (reason kept for staff and support). */
export async function stopRegistrations(
  trx: Transaction<Database>,
  linkIds: string[],
  reason: string,
  now: Date,
): Promise<void> {
  if (linkIds.length === 0) return;
  await trx
    .updateTable('pushRegistration')
    .set({ deactivatedAt: now, deactivationReason: reason })
    .where('linkId', 'in', linkIds)
    .where('deactivatedAt', 'is', null)
    .execute();
}
