import type { AppContext } from '../context.ts';
import type { Db } from '../../db/connection.ts';
import type { AccountKind } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import {
  createSession,
  revokeSession,
  sessionCookie,
  sessionTokenFrom,
  readSession,
  type SessionInfo,
} from './session.server.ts';
import { relyingParty, type RelyingParty } from './passkeys.server.ts';
import { updateStaffLocale } from './staff.repository.server.ts';
import { localeFromPath } from '../i18n/negotiate.server.ts';
import {
  findAccountOfResident,
  findResidentById,
  upsertResidentAccount,
} from './resident.repository.server.ts';

export const rpFor = (context: Pick<AppContext, 'env'>): RelyingParty =>
  relyingParty(context.env.publicOrigin);
export const secureCookies = (context: Pick<AppContext, 'env'>) =>
  context.env.publicOrigin.startsWith('https:');

/** The resident's account, created on first access. */
export async function ensureResidentAccount(
  db: Db,
  residentId: string,
): Promise<{ id: string; displayName: string }> {
  const existing = await findAccountOfResident(db, residentId);
  if (existing) return existing;
  const resident = await findResidentById(db, residentId);
  if (!resident) throw new Error(`resident ${residentId} not found`);
  return upsertResidentAccount(db, residentId, resident.name);
}

/**
 * Starts a fresh session (any session the browser already had ends: the id rotates on every
 * sign-in), records the sign-in, and returns the Set-Cookie value.
 */
export async function completeSignIn(
  context: Pick<AppContext, 'db' | 'env' | 'clientIp'>,
  request: Request,
  account: { accountId: string; kind: AccountKind },
  method: 'passkey' | 'first_access' | 'proxy_enrolment' | 'staff_enrolment',
): Promise<string> {
  const previous = await readSession(context.db, sessionTokenFrom(request));
  const token = await context.db.transaction().execute(async (trx) => {
    if (previous) await revokeSession(trx, previous.id);
    const session = await createSession(trx, {
      accountId: account.accountId,
      kind: account.kind,
      ip: context.clientIp,
      userAgent: request.headers.get('User-Agent'),
    });
    await recordAudit(trx, {
      actorType: account.kind,
      actorId: account.accountId,
      action: 'auth.sign_in',
      targetType: 'session',
      targetId: session.id,
      outcome: 'success',
      ip: context.clientIp,
      details: { method },
    });
    // Staff mail (the weekly operations summary) is written in the language they work in.
    const locale = localeFromPath(new URL(request.url).pathname);
    if (account.kind === 'staff' && locale) await updateStaffLocale(trx, account.accountId, locale);
    return session.token;
  });
  return sessionCookie(token, account.kind, secureCookies(context));
}

/** Ends the session the browser holds, with its audit entry. */
export async function signOut(
  db: Db,
  session: Pick<SessionInfo, 'id' | 'kind' | 'accountId' | 'actingForResidentId'>,
  ip: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await revokeSession(trx, session.id);
    await recordAudit(trx, {
      actorType: session.kind,
      actorId: session.accountId,
      onBehalfOfResidentId: session.actingForResidentId,
      action: 'auth.sign_out',
      targetType: 'session',
      targetId: session.id,
      outcome: 'success',
      ip,
    });
  });
}

export async function residentName(db: Db, residentId: string): Promise<string | undefined> {
  return (await findResidentById(db, residentId))?.name;
}
