import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

/**
 * Runs `work` in the caller's transaction when it passes one, otherwise in a new one. A service
 * that writes a change and its audit entry uses it, so that both commit together or not at
 * all whether or not its caller already opened a transaction (kysely has no nested ones).
 */
export function inTransaction<T>(
  db: Db | Transaction<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
