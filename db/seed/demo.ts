import type { Db } from '../connection.ts';
import type { Logger } from '../../app/platform/logger.server.ts';

const SEEDED_KEY = 'demo_seeded_at';

/**
 * Demo data for a newcomer's first start, written once per database. Each feature adds its
 * own part here, through its services, so the data obeys the same rules as real input.
 */
export async function seedDemoData({ db, log }: { db: Db; log: Logger }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // One seeding even if two processes start at once: the row lock serialises them.
    const claimed = await trx
      .insertInto('appMeta')
      .values({ key: SEEDED_KEY, value: JSON.stringify({ at: new Date().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return false;
    log.info('demo data seeded');
    return true;
  });
}
