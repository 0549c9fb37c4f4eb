import type { Db } from '../../db/connection.ts';
import type { AccountKind } from '../../db/schema.ts';
import { randomToken, sha256 } from './crypto.server.ts';

export const SESSION_COOKIE = 'mdg_session';

/**
 * Session lifetimes (docs/decisions/0008-sessions.md). Staff hold more power, so their
 * sessions end sooner. Idle expiry slides with use; absolute expiry never moves.
 */
export const SESSION_POLICY: Record<AccountKind, { idleMinutes: number; absoluteHours: number }> = {
  resident: { idleMinutes: 30, absoluteHours: 12 },
  proxy: { idleMinutes: 30, absoluteHours: 12 },
  staff: { idleMinutes: 15, absoluteHours: 9 },
};

/** last_seen_at is written at most this often, so reading pages does not write every time. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionInfo = {
  id: string;
  accountId: string;
  kind: AccountKind;
  displayName: string;
  residentId: string | null;
  actingForResidentId: string | null;
  proxyGrantId: string | null;
  createdAt: Date;
};

const addMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

export function sessionCookie(token: string, kind: AccountKind, secure: boolean): string {
  // Expires with the browser unless the absolute lifetime comes first; HttpOnly, SameSite=Lax.
  const maxAge = SESSION_POLICY[kind].absoluteHours * 3600;
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

export function sessionTokenFrom(request: Request): string | undefined {
  const header = request.headers.get('Cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

export async function createSession(
  db: Db,
  input: {
    accountId: string;
    kind: AccountKind;
    ip: string | null;
    userAgent: string | null;
    actingForResidentId?: string | null;
    proxyGrantId?: string | null;
  },
  now = new Date(),
): Promise<{ token: string; id: string }> {
  const token = randomToken();
  const policy = SESSION_POLICY[input.kind];
  const row = await db
    .insertInto('session')
    .values({
      tokenHash: sha256(token),
      accountId: input.accountId,
      actingForResidentId: input.actingForResidentId ?? null,
      proxyGrantId: input.proxyGrantId ?? null,
      idleExpiresAt: addMinutes(now, policy.idleMinutes),
      absoluteExpiresAt: new Date(now.getTime() + policy.absoluteHours * 3600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id: row.id };
}

const pending = new WeakMap<Db, Map<string, Promise<SessionInfo | null>>>();

/**
 * The live session behind a cookie token, or null (unknown, revoked, idle or too old, account
 * disabled). Remix gives each loader of a page its own Request, so the root loader (the header's
 * viewer) and the page's loader both ask at the same moment: a lookup of the same token that is
 * already under way is shared rather than sent again. Calls with an explicit `now` never share.
 */
export function readSession(
  db: Db,
  token: string | undefined,
  now?: Date,
): Promise<SessionInfo | null> {
  if (!token || token.length > 100) return Promise.resolve(null);
  if (now) return lookUpSession(db, token, now);
  let byToken = pending.get(db);
  if (!byToken) pending.set(db, (byToken = new Map()));
  const running = byToken.get(token);
  if (running) return running.then((session) => session && { ...session });
  const lookup = lookUpSession(db, token, new Date()).finally(() => byToken.delete(token));
  byToken.set(token, lookup);
  return lookup.then((session) => session && { ...session });
}

async function lookUpSession(db: Db, token: string, now: Date): Promise<SessionInfo | null> {
  const row = await db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.accountId')
    .select([
      'session.id',
      'session.accountId',
      'session.actingForResidentId',
      'session.proxyGrantId',
      'session.createdAt',
      'session.lastSeenAt',
      'session.idleExpiresAt',
      'session.absoluteExpiresAt',
      'session.revokedAt',
      'account.kind',
      'account.displayName',
      'account.residentId',
      'account.disabledAt',
    ])
    .where('session.tokenHash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revokedAt || row.disabledAt) return null;
  if (row.idleExpiresAt <= now || row.absoluteExpiresAt <= now) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = addMinutes(now, SESSION_POLICY[row.kind].idleMinutes);
    await db
      .updateTable('session')
      .set({
        lastSeenAt: now,
        idleExpiresAt: idle < row.absoluteExpiresAt ? idle : row.absoluteExpiresAt,
      })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    displayName: row.displayName,
    residentId: row.residentId,
    actingForResidentId: row.actingForResidentId,
    proxyGrantId: row.proxyGrantId,
    createdAt: row.createdAt,
  };
}

/** New cookie value for the same session: after a privilege change the old value is useless. */
export async function rotateSession(
  db: Db,
  sessionId: string,
  change: { actingForResidentId?: string | null; proxyGrantId?: string | null } = {},
): Promise<string> {
  const token = randomToken();
  await db
    .updateTable('session')
    .set({ tokenHash: sha256(token), ...change })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute();
  return token;
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db
    .updateTable('session')
    .set({ revokedAt: now })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute();
}

/** Sign out everywhere: every live session of the account ends. Returns how many ended. */
export async function revokeAllSessions(
  db: Db,
  accountId: string,
  now = new Date(),
): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ revokedAt: now })
    .where('accountId', '=', accountId)
    .where('revokedAt', 'is', null)
    .where('absoluteExpiresAt', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function recentSessions(db: Db, accountId: string, limit = 10) {
  return db
    .selectFrom('session')
    .select([
      'id',
      'createdAt',
      'lastSeenAt',
      'ip',
      'userAgent',
      'revokedAt',
      'idleExpiresAt',
      'absoluteExpiresAt',
    ])
    .where('accountId', '=', accountId)
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .execute();
}
