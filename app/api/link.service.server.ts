/**
 * Account links (連携) between a resident and an app: consent, the code exchange that makes a
 * link, the ways a link ends, and what the portal shows of them. Each change a resident or an
 * app makes is recorded in its transaction.
 */
import type { Db } from '../../db/connection.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import { endLinks } from './link-end.server.ts';
import {
  findLinkById,
  findLiveLinksOfResident,
  insertAuthorizationCode,
  insertLink,
  markAuthorizationCodeUsed,
  type AuthorizationCodeRow,
} from './link.repository.server.ts';
import { findClient } from './client.service.server.ts';
import {
  AUTHORIZATION_CODE_SECONDS,
  issueTokenPair,
  pkceMatches,
  type TokenPair,
} from './tokens.server.ts';

type CodeRequest = Pick<
  AuthorizationCodeRow,
  'clientId' | 'residentId' | 'redirectUri' | 'codeChallenge' | 'deviceName'
>;

/**
 * A one-time code, valid for a minute, bound to the PKCE challenge. Not recorded: set-up and
 * tests; the portal's consent goes through grantConsent.
 */
export async function createAuthorizationCode(
  db: Db,
  input: CodeRequest,
  now = new Date(),
): Promise<string> {
  const code = `ac1.${randomToken()}`;
  await insertAuthorizationCode(db, {
    ...input,
    codeHash: sha256(code),
    expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000),
  });
  return code;
}

/** The resident consented on the portal: the code for the app, and the consent recorded. */
export async function grantConsent(
  db: Db,
  actor: AuditActor,
  input: CodeRequest,
  now = new Date(),
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const code = await createAuthorizationCode(trx, input, now);
    await recordAudit(trx, {
      ...actor,
      action: 'app.consent',
      targetType: 'app_client',
      targetId: input.clientId,
      outcome: 'success',
    });
    return code;
  });
}

export type Exchange =
  | {
      outcome: 'ok';
      pair: TokenPair;
      linkId: string;
      residentId: string;
      replacedLinkId: string | null;
    }
  | { outcome: 'invalid_grant' };

type ExchangeRequest = {
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
};

/**
 * Exchanges an authorization code (once) for a new account link and its first token pair.
 * One linked device per resident and client: that client's previous live link ends as
 * 'replaced' in the same transaction (its tokens and push registrations stop at once).
 */
export async function exchangeAuthorizationCode(
  db: Db,
  input: ExchangeRequest,
  now = new Date(),
): Promise<Exchange> {
  if (!input.code.startsWith('ac1.') || input.code.length > 200)
    return { outcome: 'invalid_grant' };
  return inTransaction(db, async (trx) => {
    const code = await markAuthorizationCodeUsed(trx, sha256(input.code), now);
    if (
      !code ||
      code.clientId !== input.clientId ||
      code.redirectUri !== input.redirectUri ||
      code.expiresAt <= now ||
      !pkceMatches(input.codeVerifier, code.codeChallenge)
    ) {
      return { outcome: 'invalid_grant' as const };
    }
    // One live link per resident and client: this client's previous device is replaced (its
    // tokens and push registrations stop); links to other clients stay.
    const { ended } = await endLinks(
      trx,
      { residentId: code.residentId, clientId: code.clientId },
      'replaced',
      now,
    );
    const link = await insertLink(trx, {
      residentId: code.residentId,
      clientId: code.clientId,
      deviceName: code.deviceName,
      lastUsedAt: now,
    });
    const pair = await issueTokenPair(trx, link, null, now);
    return {
      outcome: 'ok' as const,
      pair,
      linkId: link.id,
      residentId: link.residentId,
      replacedLinkId: ended[0] ?? null,
    };
  });
}

type LinkDevice = Exchange | { outcome: 'invalid_client' | 'client_disabled' };

/**
 * grant_type=authorization_code: the app links a device. The link and its audit entry
 * ('app.link') commit together; a refused exchange by a known client is recorded as a failure.
 */
export async function linkDevice(
  db: Db,
  input: ExchangeRequest,
  ip: string | null,
  now = new Date(),
): Promise<LinkDevice> {
  const client = await findClient(db, input.clientId);
  if (!client) return { outcome: 'invalid_client' };
  const entry = (
    outcome: 'success' | 'failure',
    residentId: string | null,
    details: Record<string, unknown>,
  ) => ({
    actorType: 'app' as const,
    actorId: client.id,
    onBehalfOfResidentId: residentId,
    action: 'app.link',
    outcome,
    ip,
    details,
  });
  if (client.disabledAt) {
    await recordAudit(db, entry('failure', null, { reason: 'client_disabled' }));
    return { outcome: 'client_disabled' };
  }
  const result = await db.transaction().execute(async (trx) => {
    const exchanged = await exchangeAuthorizationCode(trx, input, now);
    if (exchanged.outcome === 'ok')
      await recordAudit(
        trx,
        entry('success', exchanged.residentId, {
          linkId: exchanged.linkId,
          replacedLinkId: exchanged.replacedLinkId,
        }),
      );
    return exchanged;
  });
  if (result.outcome !== 'ok')
    await recordAudit(db, entry('failure', null, { reason: 'invalid_grant' }));
  return result;
}

/**
 * Ends a link (the app unlinks, or the resident does in the portal); its tokens stop working.
 * Not recorded: set-up and tests; apps and residents go through unlinkByApp / unlinkByResident.
 */
export async function endLink(
  db: Db,
  linkId: string,
  reason: 'app_unlinked' | 'resident_unlinked',
  now = new Date(),
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const { ended } = await endLinks(trx, { linkId }, reason, now);
    return ended.length > 0;
  });
}

/** DELETE /api/v1/link: the app ends its own link, recorded as the app's. */
export async function unlinkByApp(
  db: Db,
  access: { linkId: string; clientId: string; residentId: string },
  ip: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endLink(trx, access.linkId, 'app_unlinked');
    await recordAudit(trx, {
      actorType: 'app',
      actorId: access.clientId,
      onBehalfOfResidentId: access.residentId,
      action: 'app.unlink',
      targetType: 'app_link',
      targetId: access.linkId,
      outcome: 'success',
      ip,
    });
  });
}

/** The resident ends one of their live links in the portal; false when it is not theirs or live. */
export async function unlinkByResident(
  db: Db,
  actor: AuditActor,
  residentId: string,
  linkId: string,
): Promise<boolean> {
  const link = (await findLiveLinksOfResident(db, residentId)).find((l) => l.id === linkId);
  if (!link) return false;
  await db.transaction().execute(async (trx) => {
    await endLink(trx, link.id, 'resident_unlinked');
    await recordAudit(trx, {
      ...actor,
      action: 'app.unlink',
      targetType: 'app_link',
      targetId: link.id,
      outcome: 'success',
    });
  });
  return true;
}

/** The resident's live app links (one per client), oldest first; or only the one with a client. */
export function liveLinksOfResident(db: Db, residentId: string, clientId?: string) {
  return findLiveLinksOfResident(db, residentId, clientId);
}

/** When a live link (one the caller's access token just proved) was made. */
export async function linkCreatedAt(db: Db, linkId: string): Promise<Date> {
  const link = await findLinkById(db, linkId);
  if (!link) throw new Error(`app link ${linkId} not found`);
  return link.createdAt;
}
