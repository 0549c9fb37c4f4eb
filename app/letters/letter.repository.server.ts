import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** A resident's letters, newest first, without any secret. */
export async function findLettersByResident(db: Db, residentId: string) {
  return db
    .selectFrom('letter')
    .select(['id', 'code', 'purpose', 'issuedAt', 'expiresAt', 'usedAt', 'revokedAt'])
    .where('residentId', '=', residentId)
    .orderBy('issuedAt', 'desc')
    .orderBy('id')
    .execute();
}

/** One letter's state, without any secret: whether it exists and whose it is. */
export async function findLetterById(db: Db, letterId: string) {
  return db
    .selectFrom('letter')
    .select(['id', 'residentId', 'purpose', 'expiresAt', 'usedAt', 'revokedAt'])
    .where('id', '=', letterId)
    .executeTakeFirst();
}

export async function findLetterByIdempotencyKey(db: Db, idempotencyKey: string) {
  return db
    .selectFrom('letter')
    .select(['id', 'residentId'])
    .where('idempotencyKey', '=', idempotencyKey)
    .executeTakeFirst();
}

/**
 * Runs `work` while no other request issues a letter to this resident: a session advisory
 * lock held on a connection of its own (work uses the pool as usual). Two submissions of
 * the same form then run one after the other, so the second finds the first's letter
 * instead of revoking it. The two-key form keeps clear of pg-boss's one-key locks.
 */
export async function withLetterIssueLock<T>(
  db: Db,
  residentId: string,
  work: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    const key = sql`hashtext('madoguchi.letter_issue'), hashtext(${residentId})`;
    await sql`select pg_advisory_lock(${key})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}
