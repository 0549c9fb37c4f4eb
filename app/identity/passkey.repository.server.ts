/**
 * Every query of passkeys and WebAuthn challenges, and of the account fields a ceremony needs.
 * The first argument is the database or the caller's transaction; lock* need a transaction.
 */
import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, PasskeyTable, WebauthnChallengeTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

type ChallengeRow = Selectable<WebauthnChallengeTable>;

export async function insertChallenge(
  db: Conn,
  challenge: Pick<ChallengeRow, 'challenge' | 'purpose' | 'accountId' | 'context' | 'expiresAt'>,
): Promise<string> {
  const row = await db
    .insertInto('webauthnChallenge')
    .values(challenge)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks an unused challenge of this purpose used; its row, or undefined when there is none. */
export function markChallengeUsed(
  db: Conn,
  challengeId: string,
  purpose: ChallengeRow['purpose'],
  now: Date,
) {
  return db
    .updateTable('webauthnChallenge')
    .set({ usedAt: now })
    .where('id', '=', challengeId)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .returning(['challenge', 'accountId', 'context', 'expiresAt'])
    .executeTakeFirst();
}

/** What a registration shows the authenticator about the account. */
export function findAccountForRegistration(db: Conn, accountId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'displayName', 'webauthnUserHandle'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/** A proxy's account, created with its first verified passkey; its id. */
export async function insertPasskeyAccount(
  db: Conn,
  account: { kind: 'proxy'; displayName: string; webauthnUserHandle: Buffer },
): Promise<string> {
  const row = await db
    .insertInto('account')
    .values(account)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findCredentialsOfAccount(db: Conn, accountId: string) {
  return db
    .selectFrom('passkey')
    .select(['credentialId', 'transports'])
    .where('accountId', '=', accountId)
    .execute();
}

/** The new passkey's id, or undefined when its credential is registered already. */
export async function insertPasskey(
  db: Conn,
  passkey: Insertable<PasskeyTable>,
): Promise<string | undefined> {
  const row = await db
    .insertInto('passkey')
    .values(passkey)
    .onConflict((oc) => oc.column('credentialId').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The passkey of a credential id with its account's kind and state. */
export function findPasskeyByCredential(db: Conn, credentialId: Buffer) {
  return db
    .selectFrom('passkey')
    .innerJoin('account', 'account.id', 'passkey.accountId')
    .select([
      'passkey.id',
      'passkey.accountId',
      'passkey.publicKey',
      'passkey.counter',
      'passkey.transports',
      'account.kind',
      'account.disabledAt',
    ])
    .where('passkey.credentialId', '=', credentialId)
    .executeTakeFirst();
}

export async function updatePasskeyUse(
  db: Conn,
  passkeyId: string,
  use: { counter: number; lastUsedAt: Date },
): Promise<void> {
  await db.updateTable('passkey').set(use).where('id', '=', passkeyId).execute();
}

export function findPasskeysOfAccount(db: Conn, accountId: string) {
  return db
    .selectFrom('passkey')
    .select(['id', 'name', 'createdAt', 'lastUsedAt', 'backedUp', 'deviceType'])
    .where('accountId', '=', accountId)
    .orderBy('createdAt')
    .execute();
}

/** Whether the account had this passkey to rename. */
export async function updatePasskeyName(
  db: Conn,
  accountId: string,
  passkeyId: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable('passkey')
    .set({ name })
    .where('id', '=', passkeyId)
    .where('accountId', '=', accountId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Locks the account row: passkey counts and deletes under it cannot interleave. */
export async function lockAccountForUpdate(
  trx: Transaction<Database>,
  accountId: string,
): Promise<void> {
  await trx
    .selectFrom('account')
    .select('id')
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirst();
}

export async function countPasskeysOfAccount(db: Conn, accountId: string): Promise<number> {
  const { count } = await db
    .selectFrom('passkey')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('accountId', '=', accountId)
    .executeTakeFirstOrThrow();
  return count;
}

export async function passkeyBelongsTo(
  db: Conn,
  accountId: string,
  passkeyId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('passkey')
    .select('id')
    .where('id', '=', passkeyId)
    .where('accountId', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deletePasskey(db: Conn, passkeyId: string): Promise<void> {
  await db.deleteFrom('passkey').where('id', '=', passkeyId).execute();
}
