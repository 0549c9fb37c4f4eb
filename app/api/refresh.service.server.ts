import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { recordAuditGrouped } from '../audit/audit-group.server.ts';
import type { AuditEntry } from '../audit/audit.ts';
import { findClient } from './client.service.server.ts';
import { rotateRefreshToken, type RefreshOutcome } from './tokens.server.ts';

type RefreshResult = RefreshOutcome | { outcome: 'invalid_client' };

/**
 * Link refresh (連携更新), grant_type=refresh_token. The rotation and its audit entry commit
 * together: a refresh ('app.token_refresh'), or the reuse of a rotated token ('app.token_reuse':
 * the family is revoked and the link ends in the same transaction). A refused refresh changed
 * nothing: its entry goes through the grouped writer (app/audit/audit-group.server.ts).
 *
 * The client is looked up only when the rotation failed, to tell an unknown client (no audit
 * entry: nobody to attribute it to) from a bad token; the rotation itself checks that the
 * token belongs to this client and that the client is not disabled.
 */
export async function refreshLink(
  db: Db,
  input: { clientId: string; refreshToken: string; ip: string | null },
  now = new Date(),
): Promise<RefreshResult> {
  const entry = (
    action: string,
    outcome: 'success' | 'failure' | 'denied',
    residentId: string | null,
    details: Record<string, unknown>,
  ): AuditEntry => ({
    actorType: 'app',
    actorId: input.clientId,
    onBehalfOfResidentId: residentId,
    action,
    outcome,
    ip: input.ip,
    details,
  });
  let result: RefreshOutcome = await db.transaction().execute(async (trx) => {
    const rotated = await rotateRefreshToken(trx, input.refreshToken, input.clientId, now);
    if (rotated.outcome === 'ok')
      await recordAudit(
        trx,
        entry('app.token_refresh', 'success', rotated.link.residentId, { linkId: rotated.link.id }),
      );
    if (rotated.outcome === 'reused')
      await recordAudit(
        trx,
        entry('app.token_reuse', 'denied', null, {
          linkId: rotated.linkId,
          familyId: rotated.familyId,
        }),
      );
    return rotated;
  });
  if (result.outcome === 'ok' || result.outcome === 'reused' || result.outcome === 'link_ended')
    return result;
  if (result.outcome === 'invalid') {
    const client = await findClient(db, input.clientId);
    if (!client) return { outcome: 'invalid_client' };
    if (client.disabledAt) result = { outcome: 'client_disabled' };
  }
  await recordAuditGrouped(
    db,
    entry('app.token_refresh', 'failure', null, { reason: result.outcome }),
  );
  return result;
}
