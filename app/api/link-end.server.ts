import type { Transaction } from 'kysely';
import type { Database, LinkEndReason } from '../../db/schema.ts';
import { updateLinksEnded } from './link.repository.server.ts';
import { revokeTokensOfLinks } from './token.repository.server.ts';
import { deactivateRegistrationsOfLinks } from './push-registration.repository.server.ts';

/**
 * Ends app links — every way a link can end goes through here, so that what belongs to a link
 * ends with it in the same transaction: its refresh tokens (and with them its access tokens)
 * are revoked and its push registrations are deactivated at once (Hardening #5).
 *
 * `{ linkId }` ends that link (its tokens and registrations are stopped even if it had ended
 * already); `{ residentId, clientId }` ends the resident's live link with that client, if any.
 * Returns the ids of the links it ended.
 */
export async function endLinks(
  trx: Transaction<Database>,
  which: { linkId: string } | { residentId: string; clientId: string },
  reason: LinkEndReason,
  now: Date,
): Promise<{ ended: string[] }> {
  const ended = await updateLinksEnded(trx, which, reason, now);
  const stopped = 'linkId' in which ? [which.linkId] : ended;
  if (stopped.length === 0) return { ended };
  await revokeTokensOfLinks(trx, stopped, now);
  await deactivateRegistrationsOfLinks(trx, { linkIds: stopped }, `link ${reason}`, now);
  return { ended };
}
