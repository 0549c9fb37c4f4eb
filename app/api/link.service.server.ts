import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import { endLinks } from './link-end.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditEntry } from '../audit/audit.ts';
import {
  AUTHORIZATION_CODE_SECONDS,
  issueTokenPair,
  pkceMatches,
  rotateRefreshToken,
  type RefreshOutcome,
  type TokenPair,
} from './tokens.server.ts';

/** A registered client, disabled or not (callers answer a disabled one with its own error). */
export async function findClient(db: Db, clientId: string) {
  if (!/^[a-z0-9][a-z0-9_-]{2,63}$/.test(clientId)) return undefined;
  return db.selectFrom('appClient').selectAll().where('id', '=', clientId).executeTakeFirst();
}

/**
 * Staff disable a client (its links cannot start, refresh or call the API; the links are
 * kept, so re-enabling restores them) or enable it again. Disabling also deactivates the push
 * registrations of its links in the same transaction: nothing is pushed through a disabled
 * client, and after re-enabling the app registers its devices again (apps do on every launch).
 * False when nothing changed.
 */
export async function setClientDisabled(
  db: Db,
  clientId: string,
  disabled: boolean,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('appClient')
      .set({ disabledAt: disabled ? now : null })
      .where('id', '=', clientId)
      .where('disabledAt', disabled ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (disabled && result.numUpdatedRows > 0n)
      await trx
        .updateTable('pushRegistration')
        .set({ deactivatedAt: now, deactivationReason: 'client disabled' })
        .where('linkId', 'in', (eb) =>
          eb.selectFrom('appLink').select('id').where('clientId', '=', clientId),
        )
        .where('deactivatedAt', 'is', null)
        .execute();
    return result.numUpdatedRows > 0n;
  });
}

export async function registerClient(
  db: Db,
  input: { id: string; name: string; redirectUris: string[]; createdBy: string | null },
) {
  await db
    .insertInto('appClient')
    .values(input)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ name: input.name, redirectUris: input.redirectUris }),
    )
    .execute();
}

/** After the resident consented: a one-time code, valid for a minute, bound to the PKCE challenge. */
export async function createAuthorizationCode(
  db: Db,
  input: {
    clientId: string;
    residentId: string;
    redirectUri: string;
    codeChallenge: string;
    deviceName: string | null;
  },
  now = new Date(),
): Promise<string> {
  const code = `ac1.${randomToken()}`;
  await db
    .insertInto('appAuthorizationCode')
    .values({
      ...input,
      codeHash: sha256(code),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000),
    })
    .execute();
  return code;
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

/**
 * Exchanges an authorization code (once) for a new account link and its first token pair.
 * One linked device per resident and client: that client's previous live link ends as
 * 'replaced' in the same transaction (its tokens and push registrations stop at once).
 */
export async function exchangeAuthorizationCode(
  db: Db,
  secrets: Secrets,
  input: { clientId: string; code: string; redirectUri: string; codeVerifier: string },
  now = new Date(),
): Promise<Exchange> {
  if (!input.code.startsWith('ac1.') || input.code.length > 200)
    return { outcome: 'invalid_grant' };
  return db.transaction().execute(async (trx) => {
    const code = await trx
      .updateTable('appAuthorizationCode')
      .set({ usedAt: now })
      .where('codeHash', '=', sha256(input.code))
      .where('usedAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
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
    const link = await trx
      .insertInto('appLink')
      .values({
        residentId: code.residentId,
        clientId: code.clientId,
        deviceName: code.deviceName,
        lastUsedAt: now,
      })
      .returning(['id', 'clientId', 'residentId'])
      .executeTakeFirstOrThrow();
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

export type RefreshResult = RefreshOutcome | { outcome: 'invalid_client' };

/**
 * Link refresh (連携更新), grant_type=refresh_token: rotates the refresh token and writes the
 * audit entry — a refresh, a failed one, or the reuse of a rotated token (family revoked).
 * The client is looked up only when the rotation failed, to tell an unknown client (no audit
 * entry: nobody to attribute it to) from a bad token; the rotation itself checks that the
 * token belongs to this client and that the client is not disabled.
 */
export async function refreshLink(
  db: Db,
  secrets: Secrets,
  input: { clientId: string; refreshToken: string; ip: string | null },
  now = new Date(),
): Promise<RefreshResult> {
  let result: RefreshOutcome = await rotateRefreshToken(
    db,
    input.refreshToken,
    input.clientId,
    now,
  );
  if (result.outcome === 'invalid') {
    const client = await findClient(db, input.clientId);
    if (!client) return { outcome: 'invalid_client' };
    if (client.disabledAt) result = { outcome: 'client_disabled' };
  }
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
  switch (result.outcome) {
    case 'ok':
      await recordAuditGrouped(
        db,
        entry('app.token_refresh', 'success', result.link.residentId, { linkId: result.link.id }),
      );
      break;
    case 'reused':
      await recordAudit(
        db,
        entry('app.token_reuse', 'denied', null, {
          linkId: result.linkId,
          familyId: result.familyId,
        }),
      );
      break;
    case 'link_ended':
      break;
    default:
      await recordAudit(
        db,
        entry('app.token_refresh', 'failure', null, { reason: result.outcome }),
      );
  }
  return result;
}

/**
 * Audit entries written in groups (group commit). Every audit row is chained to the one
 * before under a lock held until its transaction commits, so one entry per transaction
 * allows one entry per commit flush (~2–4 ms here, a few hundred refreshes a second). Here
 * the entries that arrive while one group commits wait and go together in the next
 * transaction; every caller still returns only once its own entry is committed. A group that
 * fails is retried entry by entry, so one bad entry fails only its own request.
 */
const auditGroups = new WeakMap<Db, { pending: PendingAudit[]; running: boolean }>();
type PendingAudit = { entry: AuditEntry; resolve(): void; reject(error: unknown): void };
const AUDIT_GROUP_MAX = 256;

function recordAuditGrouped(db: Db, entry: AuditEntry): Promise<void> {
  let group = auditGroups.get(db);
  if (!group) auditGroups.set(db, (group = { pending: [], running: false }));
  const queue = group;
  return new Promise<void>((resolve, reject) => {
    queue.pending.push({ entry, resolve, reject });
    if (!queue.running) void drainAuditGroup(db, queue);
  });
}

async function drainAuditGroup(db: Db, queue: { pending: PendingAudit[]; running: boolean }) {
  queue.running = true;
  try {
    while (queue.pending.length > 0) {
      const batch = queue.pending.splice(0, AUDIT_GROUP_MAX);
      try {
        if (batch.length === 1) await recordAudit(db, batch[0]!.entry);
        // The inserts are sent back to back on the transaction's connection (pipelined).
        else
          await db
            .transaction()
            .execute((trx) => Promise.all(batch.map((p) => recordAudit(trx, p.entry))));
        for (const p of batch) p.resolve();
      } catch {
        for (const p of batch)
          await recordAudit(db, p.entry).then(
            () => p.resolve(),
            (error: unknown) => p.reject(error),
          );
      }
    }
  } finally {
    queue.running = false;
  }
}

/** Ends a link (the app unlinks, or the resident does in the portal); its tokens stop working. */
export async function endLink(
  db: Db,
  linkId: string,
  reason: 'app_unlinked' | 'resident_unlinked',
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const { ended } = await endLinks(trx, { linkId }, reason, now);
    return ended.length > 0;
  });
}

/** The resident's live app links (one per client), oldest first; or only the one with a client. */
export async function liveLinksOfResident(db: Db, residentId: string, clientId?: string) {
  return db
    .selectFrom('appLink as l')
    .innerJoin('appClient as c', 'c.id', 'l.clientId')
    .select(['l.id', 'l.deviceName', 'l.createdAt', 'l.lastUsedAt', 'c.name as clientName'])
    .where('l.residentId', '=', residentId)
    .where('l.endedAt', 'is', null)
    .$if(clientId !== undefined, (q) => q.where('l.clientId', '=', clientId!))
    .orderBy('l.createdAt')
    .orderBy('l.id')
    .execute();
}

/** Every registered client with its number of live links, for staff. */
export async function listClients(db: Db) {
  return db
    .selectFrom('appClient as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.redirectUris',
      'c.disabledAt',
      eb
        .selectFrom('appLink as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.clientId', '=', 'c.id')
        .where('l.endedAt', 'is', null)
        .as('liveLinks'),
    ])
    .orderBy('c.id')
    .execute();
}

/** When a live link (one the caller's access token just proved) was made. */
export async function linkCreatedAt(db: Db, linkId: string): Promise<Date> {
  const link = await db
    .selectFrom('appLink')
    .select('createdAt')
    .where('id', '=', linkId)
    .executeTakeFirstOrThrow();
  return link.createdAt;
}
