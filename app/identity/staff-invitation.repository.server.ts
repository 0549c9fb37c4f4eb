/**
 * Every query of staff invitations. The first argument is the database or the caller's
 * transaction; lock* need a transaction.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, StaffInvitationTable } from '../../db/schema.ts';

type Conn = Db | Transaction<Database>;

type StaffInvitationRow = Selectable<StaffInvitationTable>;

export async function insertStaffInvitation(
  db: Conn,
  invitation: {
    tokenHash: Buffer;
    displayName: string;
    email: string;
    groupIds: string[];
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('staffInvitation')
    .values(invitation)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findInvitationByTokenHash(
  db: Conn,
  tokenHash: Buffer,
): Promise<StaffInvitationRow | undefined> {
  return db
    .selectFrom('staffInvitation')
    .selectAll()
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export function lockInvitationForUpdate(trx: Transaction<Database>, invitationId: string) {
  return trx
    .selectFrom('staffInvitation')
    .select('accountId')
    .where('id', '=', invitationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateInvitationAccount(
  db: Conn,
  invitationId: string,
  accountId: string,
): Promise<void> {
  await db
    .updateTable('staffInvitation')
    .set({ accountId })
    .where('id', '=', invitationId)
    .execute();
}

/** Marks an open invitation of this account used; its row, or undefined when it was not open. */
export function markInvitationUsed(
  db: Conn,
  invitationId: string,
  accountId: string,
  now: Date,
): Promise<StaffInvitationRow | undefined> {
  return db
    .updateTable('staffInvitation')
    .set({ usedAt: now })
    .where('id', '=', invitationId)
    .where('accountId', '=', accountId)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Ends the open invitations to an address that nobody opened yet, or those of an account:
 * their links stop working.
 */
export async function expireOpenInvitations(
  db: Conn,
  which: { email: string } | { accountId: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('staffInvitation')
    .set({ expiresAt: now })
    .$if('email' in which, (q) =>
      q
        .where(sql<string>`lower(email)`, '=', (which as { email: string }).email.toLowerCase())
        .where('accountId', 'is', null),
    )
    .$if('accountId' in which, (q) =>
      q.where('accountId', '=', (which as { accountId: string }).accountId),
    )
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .execute();
}
