import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Transaction } from 'kysely';

const WINDOW_COLUMNS = ['id', 'startsAt', 'endsAt', 'messageJa', 'messageEn'] as const;

/** Windows not cancelled and not over at `now`, soonest first (index maintenance_window_open). */
export function findOpenWindows(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('maintenanceWindow')
    .select(WINDOW_COLUMNS)
    .where('cancelledAt', 'is', null)
    .where('endsAt', '>', now)
    .orderBy('startsAt')
    .limit(limit)
    .execute();
}

/** The staff list: the latest windows first, cancelled ones included. */
export function findRecentWindows(db: Db, limit: number) {
  return db
    .selectFrom('maintenanceWindow')
    .select([...WINDOW_COLUMNS, 'createdAt', 'cancelledAt'])
    .orderBy('startsAt', 'desc')
    .limit(limit)
    .execute();
}

export async function insertWindow(
  trx: Transaction<Database>,
  row: {
    startsAt: Date;
    endsAt: Date;
    messageJa: string;
    messageEn: string;
    createdBy: string;
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('maintenanceWindow')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Cancels a window not yet over or cancelled; false when there was none such. */
export async function cancelWindow(
  trx: Transaction<Database>,
  id: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('maintenanceWindow')
    .set({ cancelledAt: now, cancelledBy: by })
    .where('id', '=', id)
    .where('cancelledAt', 'is', null)
    .where('endsAt', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function findWindow(db: Db, id: string) {
  return db
    .selectFrom('maintenanceWindow')
    .select(WINDOW_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}
