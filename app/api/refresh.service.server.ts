import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { recordAuditGrouped } from '../audit/audit-group.server.ts';
import type { AuditEntry } from '../audit/audit.ts';
import { findClient } from './client.service.server.ts';
import { endReusedFamily, rotateRefreshToken, type RefreshOutcome } from './tokens.server.ts';

type RefreshResult = RefreshOutcome | { outcome: 'invalid_client' };

/**
 * Link refresh (連携更新), grant_type=refresh_token. The rotation and its audit entry commit
 * together: a refresh ('app.token_refresh', written by the rotation statement itself), or the
 * reuse of a rotated token ('app.token_reuse': the family is revoked and the link ends in the
 * transaction that records it). A refused refresh changed
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
  // A refresh and its entry: one statement (the hot path, one round trip and one commit).
  let result: RefreshOutcome = await rotateRefreshToken(
    db,
    input.refreshToken,
    input.clientId,
    { ip: input.ip },
    now,
  );
  if (result.outcome === 'reused') {
    const reused = result;
    await db.transaction().execute(async (trx) => {
      await endReusedFamily(trx, reused, now);
      await recordAudit(
        trx,
        entry('app.token_reuse', 'denied', null, {
          linkId: reused.linkId,
          familyId: reused.familyId,
        }),
      );
    });
  }
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
