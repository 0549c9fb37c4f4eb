import { sql, type Insertable, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, LetterPurpose, LetterTable } from '../../db/schema.ts';

/** All of the letters' SQL. Nothing here decides; letter.service.server.ts does. */

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

/** The letter an idempotency key already issued, with its sealed password for a replay. */
export async function findLetterByIdempotencyKey(
  trx: Transaction<Database>,
  idempotencyKey: string,
) {
  return trx
    .selectFrom('letter')
    .select(['id', 'residentId', 'code', 'passwordSealed', 'expiresAt', 'issuedAt'])
    .where('idempotencyKey', '=', idempotencyKey)
    .executeTakeFirst();
}

/**
 * Holds back every other transaction issuing a letter to this resident until this one ends
 * (commit or rollback releases it; no connection of its own, nothing to unlock). The
 * two-key form keeps clear of pg-boss's one-key locks.
 */
export async function lockLetterIssue(trx: Transaction<Database>, residentId: string) {
  await sql`select pg_advisory_xact_lock(hashtext('madoguchi.letter_issue'), hashtext(${residentId}))`.execute(
    trx,
  );
}

/** The new letter, or undefined when its idempotency key is already taken. */
export async function insertLetter(trx: Transaction<Database>, values: Insertable<LetterTable>) {
  return trx
    .insertInto('letter')
    .values(values)
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning(['id', 'code', 'expiresAt', 'issuedAt'])
    .executeTakeFirst();
}

/** Revokes the resident's other unused letters of one purpose: only the newest works. */
export async function revokeUnusedLettersExcept(
  trx: Transaction<Database>,
  keep: { id: string; residentId: string; purpose: LetterPurpose },
  now: Date,
) {
  await trx
    .updateTable('letter')
    .set({ revokedAt: now })
    .where('residentId', '=', keep.residentId)
    .where('purpose', '=', keep.purpose)
    .where('id', '!=', keep.id)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .execute();
}

/** A letter with what its paper shows of the resident, sealed password included. */
export async function findLetterWithResident(db: Db, letterId: string) {
  return db
    .selectFrom('letter')
    .innerJoin('resident', 'resident.id', 'letter.residentId')
    .select([
      'letter.id',
      'letter.code',
      'letter.purpose',
      'letter.passwordSealed',
      'letter.expiresAt',
      'letter.issuedAt',
      'letter.usedAt',
      'letter.revokedAt',
      'resident.id as residentId',
      'resident.name',
      'resident.nameKana',
      'resident.address',
      'resident.municipalityName',
    ])
    .where('letter.id', '=', letterId)
    .executeTakeFirst();
}

/** What checking a letter needs: its hash, state, failures and the resident's birth date. */
export async function findLetterToCheck(
  db: Db,
  purpose: LetterPurpose,
  by: { id: string } | { code: string },
) {
  const query = db
    .selectFrom('letter')
    .innerJoin('resident', 'resident.id', 'letter.residentId')
    .select([
      'letter.id',
      'letter.residentId',
      'letter.passwordHash',
      'letter.expiresAt',
      'letter.usedAt',
      'letter.revokedAt',
      'letter.lockedUntil',
      'letter.failedAttempts',
      'resident.birthDate',
    ])
    .where('letter.purpose', '=', purpose);
  return 'id' in by
    ? query.where('letter.id', '=', by.id).executeTakeFirst()
    : query.where('letter.code', '=', by.code).executeTakeFirst();
}

export async function updateLetterFailures(
  db: Db,
  letterId: string,
  failures: { failedAttempts: number; lockedUntil?: Date | null },
) {
  await db.updateTable('letter').set(failures).where('id', '=', letterId).execute();
}

/** Marks the letter used and forgets its password, once; false when it was not usable. */
export async function updateLetterUsed(db: Db, letterId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('letter')
    .set({ usedAt: now, passwordSealed: null })
    .where('id', '=', letterId)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
