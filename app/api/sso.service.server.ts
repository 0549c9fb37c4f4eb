import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { findSsoTicket, insertSsoTicket, markSsoTicketUsed } from './link.repository.server.ts';

const SSO_TICKET_SECONDS = 60;

/**
 * A one-time, 60-second ticket that signs the resident into the web portal at `path`; the app
 * that asked is recorded with it.
 */
export async function createSsoTicket(
  db: Db,
  input: { residentId: string; clientId: string; linkId: string; path: string },
  ip: string | null,
  now = new Date(),
) {
  const ticket = `st1.${randomToken()}`;
  const expiresAt = new Date(now.getTime() + SSO_TICKET_SECONDS * 1000);
  await db.transaction().execute(async (trx) => {
    await insertSsoTicket(trx, { ...input, ticketHash: sha256(ticket), expiresAt });
    await recordAudit(trx, {
      actorType: 'app',
      actorId: input.clientId,
      onBehalfOfResidentId: input.residentId,
      action: 'app.sso_issue',
      outcome: 'success',
      ip,
      details: { path: input.path },
    });
  });
  return { ticket, expiresAt };
}

/**
 * Uses a ticket once, and records the use or the failure; 'used' and 'expired' let the page say
 * what happened. A ticket whose link has ended since (or whose client was disabled) counts as
 * expired: nothing of a link outlives it.
 */
export async function consumeSsoTicket(
  db: Db,
  ticket: string,
  ip: string | null,
  now = new Date(),
): Promise<SsoUse> {
  const result = await db.transaction().execute(async (trx) => {
    const used = await claimSsoTicket(trx, ticket, now);
    if (used.outcome === 'ok')
      await recordAudit(trx, {
        actorType: 'app',
        actorId: used.clientId,
        onBehalfOfResidentId: used.residentId,
        action: 'app.sso_use',
        outcome: 'success',
        ip,
      });
    return used;
  });
  // A failed use changed nothing: its entry stands alone.
  if (result.outcome !== 'ok')
    await recordAudit(db, {
      actorType: 'anonymous',
      action: 'app.sso_use',
      outcome: 'failure',
      ip,
      details: { reason: result.outcome },
    });
  return result;
}

type SsoUse =
  | { outcome: 'invalid' | 'used' | 'expired' }
  | { outcome: 'ok'; residentId: string; clientId: string; path: string };

async function claimSsoTicket(
  db: Transaction<Database>,
  ticket: string,
  now: Date,
): Promise<SsoUse> {
  if (!ticket.startsWith('st1.') || ticket.length > 100) return { outcome: 'invalid' as const };
  const row = await findSsoTicket(db, sha256(ticket));
  if (!row) return { outcome: 'invalid' as const };
  if (row.usedAt) return { outcome: 'used' as const };
  if (row.expiresAt <= now || !row.linkLive) return { outcome: 'expired' as const };
  if (!(await markSsoTicketUsed(db, row.ticketHash, now))) return { outcome: 'used' as const };
  return {
    outcome: 'ok' as const,
    residentId: row.residentId,
    clientId: row.clientId,
    path: row.path,
  };
}
