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
} from './session.server.ts';
import { relyingParty, type RelyingParty } from './passkeys.server.ts';

export const rpFor = (context: Pick<AppContext, 'env'>): RelyingParty =>
  relyingParty(context.env.publicOrigin);
export const secureCookies = (context: Pick<AppContext, 'env'>) =>
  context.env.publicOrigin.startsWith('https:');

/** The resident's account, created on first access. */
export async function ensureResidentAccount(
  db: Db,
  residentId: string,
): Promise<{ id: string; displayName: string }> {
  const existing = await db
    .selectFrom('account')
    .select(['id', 'displayName'])
    .where('residentId', '=', residentId)
    .executeTakeFirst();
  if (existing) return existing;
  const resident = await db
    .selectFrom('resident')
    .select(['name'])
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('account')
    .values({ kind: 'resident', residentId, displayName: resident.name })
    .onConflict((oc) => oc.column('residentId').doUpdateSet({ displayName: resident.name }))
    .returning(['id', 'displayName'])
    .executeTakeFirstOrThrow();
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
  if (previous) await revokeSession(context.db, previous.id);
  const { token, id } = await createSession(context.db, {
    accountId: account.accountId,
    kind: account.kind,
    ip: context.clientIp,
    userAgent: request.headers.get('User-Agent'),
  });
  await recordAudit(context.db, {
    actorType: account.kind,
    actorId: account.accountId,
    action: 'auth.sign_in',
    targetType: 'session',
    targetId: id,
    outcome: 'success',
    ip: context.clientIp,
    details: { method },
  });
  return sessionCookie(token, account.kind, secureCookies(context));
}

export async function residentName(db: Db, residentId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('resident')
    .select('name')
    .where('id', '=', residentId)
    .executeTakeFirst();
  return row?.name;
}
