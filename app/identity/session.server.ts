import type { Db } from '../../db/connection.ts';
import type { AccountKind } from '../../db/schema.ts';
import { randomToken, sha256 } from './crypto.server.ts';
import { parseSessionEndReason, type SessionEndReason } from './session-end.ts';
import {
  findRecentSessions,
  findSessionState,
  findSessionWithAccount,
  insertSession,
  revokeSessionById,
  revokeSessionsOfAccount,
  updateSessionSeen,
  updateSessionToken,
} from './session.repository.server.ts';

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
  /** When the session ends if nothing happens (slides with use; never past the absolute expiry). */
  idleExpiresAt: Date;
  /** When the session ends however active it is. */
  absoluteExpiresAt: Date;
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
  const id = await insertSession(db, {
    tokenHash: sha256(token),
    accountId: input.accountId,
    actingForResidentId: input.actingForResidentId ?? null,
    proxyGrantId: input.proxyGrantId ?? null,
    idleExpiresAt: addMinutes(now, policy.idleMinutes),
    absoluteExpiresAt: new Date(now.getTime() + policy.absoluteHours * 3600_000),
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 400) ?? null,
  });
  return { token, id };
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
  const row = await findSessionWithAccount(db, sha256(token));
  if (!row || row.revokedAt || row.disabledAt) return null;
  if (row.idleExpiresAt <= now || row.absoluteExpiresAt <= now) return null;
  let idleExpiresAt = row.idleExpiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    idleExpiresAt = await touchSession(db, row.id, row.kind, row.absoluteExpiresAt, now);
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
    idleExpiresAt,
    absoluteExpiresAt: row.absoluteExpiresAt,
  };
}

/** Counts `now` as use: the idle window starts again, but never runs past the absolute expiry. */
async function touchSession(
  db: Db,
  sessionId: string,
  kind: AccountKind,
  absoluteExpiresAt: Date,
  now: Date,
): Promise<Date> {
  const idle = addMinutes(now, SESSION_POLICY[kind].idleMinutes);
  const idleExpiresAt = idle < absoluteExpiresAt ? idle : absoluteExpiresAt;
  await updateSessionSeen(db, sessionId, { lastSeenAt: now, idleExpiresAt });
  return idleExpiresAt;
}

/**
 * "Stay signed in": the live session behind the token, its idle window started again now
 * (whatever the once-a-minute write throttle would do). Null when there is no live session:
 * an ended session is never brought back.
 */
export async function extendSession(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<SessionInfo | null> {
  const session = token && token.length <= 100 ? await lookUpSession(db, token, now) : null;
  if (!session) return null;
  const idleExpiresAt = await touchSession(
    db,
    session.id,
    session.kind,
    session.absoluteExpiresAt,
    now,
  );
  return { ...session, idleExpiresAt };
}

type SessionClock = {
  /** Milliseconds until the session ends for idleness, from the moment the server answered. */
  idleMs: number;
  /** Milliseconds until the absolute expiry. */
  absoluteMs: number;
  idleMinutes: number;
  absoluteHours: number;
};

/**
 * What a page needs to warn before the session ends. Durations rather than instants, so a
 * browser whose clock is wrong still counts down correctly from when the page arrived.
 */
export function sessionClock(
  session: Pick<SessionInfo, 'kind' | 'idleExpiresAt' | 'absoluteExpiresAt'>,
  now = new Date(),
): SessionClock {
  return {
    idleMs: Math.max(0, session.idleExpiresAt.getTime() - now.getTime()),
    absoluteMs: Math.max(0, session.absoluteExpiresAt.getTime() - now.getTime()),
    idleMinutes: SESSION_POLICY[session.kind].idleMinutes,
    absoluteHours: SESSION_POLICY[session.kind].absoluteHours,
  };
}

type SessionStatus =
  ({ signedIn: true } & SessionClock) | { signedIn: false; reason: SessionEndReason | null };

/**
 * The session behind a token as it stands, without counting this look as use (a page asking
 * "how long have I got?" must not keep a session alive by itself).
 */
export async function sessionStatus(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<SessionStatus> {
  if (!token || token.length > 100) return { signedIn: false, reason: null };
  const row = await findSessionState(db, sha256(token));
  if (!row || row.revokedAt || row.disabledAt) return { signedIn: false, reason: null };
  const reason = endReason(row, now);
  if (reason) return { signedIn: false, reason };
  return { signedIn: true, ...sessionClock(row, now) };
}

/**
 * Why the session behind a token is no longer live, when it ended by itself: 'idle' or
 * 'absolute'. Null for no session, a live one, or one ended on purpose (signed out, revoked).
 */
export async function sessionEndReasonFor(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<SessionEndReason | null> {
  const status = await sessionStatus(db, token, now);
  return status.signedIn ? null : status.reason;
}

/** Whichever limit came first; the idle expiry is capped at the absolute one. */
function endReason(
  row: { idleExpiresAt: Date; absoluteExpiresAt: Date },
  now: Date,
): SessionEndReason | null {
  if (row.idleExpiresAt <= now && row.idleExpiresAt < row.absoluteExpiresAt) return 'idle';
  return row.absoluteExpiresAt <= now ? 'absolute' : null;
}

/** New cookie value for the same session: after a privilege change the old value is useless. */
export async function rotateSession(
  db: Db,
  sessionId: string,
  change: { actingForResidentId?: string | null; proxyGrantId?: string | null } = {},
): Promise<string> {
  const token = randomToken();
  await updateSessionToken(db, sessionId, { tokenHash: sha256(token), ...change });
  return token;
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await revokeSessionById(db, sessionId, now);
}

/** Sign out everywhere: every live session of the account ends. Returns how many ended. */
export async function revokeAllSessions(
  db: Db,
  accountId: string,
  now = new Date(),
): Promise<number> {
  return revokeSessionsOfAccount(db, accountId, now, { unexpiredOnly: true });
}

export function recentSessions(db: Db, accountId: string, limit = 10) {
  return findRecentSessions(db, accountId, limit);
}

/**
 * What the sign-in page says about a session that ended by itself: the reason from its own
 * `reason` parameter (a known code, or nothing) with the limits of that kind of account.
 */
export function sessionEndNotice(
  request: Request,
  kind: AccountKind,
): { reason: SessionEndReason; minutes: number; hours: number } | null {
  const reason = parseSessionEndReason(new URL(request.url).searchParams.get('reason'));
  if (!reason) return null;
  const policy = SESSION_POLICY[kind];
  return { reason, minutes: policy.idleMinutes, hours: policy.absoluteHours };
}
