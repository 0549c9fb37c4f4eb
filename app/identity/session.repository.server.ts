/**
 * Every query of sessions. Tokens are never stored: rows are found by the token's hash. The
 * first argument is the database or the caller's transaction.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, SessionTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

type SessionRow = Selectable<SessionTable>;

export async function insertSession(
  db: Conn,
  session: Pick<
    SessionRow,
    | 'tokenHash'
    | 'accountId'
    | 'actingForResidentId'
    | 'proxyGrantId'
    | 'idleExpiresAt'
    | 'absoluteExpiresAt'
    | 'ip'
    | 'userAgent'
  >,
): Promise<string> {
  const row = await db
    .insertInto('session')
    .values(session)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session of a token's hash with what the request needs of its account. */
export function findSessionWithAccount(db: Conn, tokenHash: Buffer) {
  return db
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
    .where('session.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** Only what tells whether (and why not) the session of a token's hash is live. */
export function findSessionState(db: Conn, tokenHash: Buffer) {
  return db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.accountId')
    .select([
      'session.idleExpiresAt',
      'session.absoluteExpiresAt',
      'session.revokedAt',
      'account.kind',
      'account.disabledAt',
    ])
    .where('session.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** Records use of a live session: when it was last seen and its new idle expiry. */
export async function updateSessionSeen(
  db: Conn,
  sessionId: string,
  seen: { lastSeenAt: Date; idleExpiresAt: Date },
): Promise<void> {
  await db
    .updateTable('session')
    .set(seen)
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute();
}

/** A live session's new token hash (and who it acts for). */
export async function updateSessionToken(
  db: Conn,
  sessionId: string,
  change: { tokenHash: Buffer; actingForResidentId?: string | null; proxyGrantId?: string | null },
): Promise<void> {
  await db
    .updateTable('session')
    .set(change)
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute();
}

export async function revokeSessionById(db: Conn, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ revokedAt: now })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute();
}

/**
 * Ends the account's unrevoked sessions (`unexpiredOnly`: those not past their absolute
 * expiry, so the count is of sessions that could still be used); how many.
 */
export async function revokeSessionsOfAccount(
  db: Conn,
  accountId: string,
  now: Date,
  { unexpiredOnly }: { unexpiredOnly: boolean },
): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ revokedAt: now })
    .where('accountId', '=', accountId)
    .where('revokedAt', 'is', null)
    .$if(unexpiredOnly, (q) => q.where('absoluteExpiresAt', '>', now))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Sessions acting under a proxy grant act for nobody from now on. */
export async function clearSessionsOfGrant(db: Conn, grantId: string): Promise<void> {
  await db
    .updateTable('session')
    .set({ actingForResidentId: null, proxyGrantId: null })
    .where('proxyGrantId', '=', grantId)
    .execute();
}

export function findRecentSessions(db: Conn, accountId: string, limit: number) {
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
