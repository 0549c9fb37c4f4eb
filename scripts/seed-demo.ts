/**
 * npm run seed:demo
 * Writes the demo data (residents, staff groups, notices, to-dos, insurance records, the demo
 * app) into the database the app would use, DATABASE_URL or the embedded one, once per
 * database, and prints the first administrator's invitation link and three residents'
 * letters. The first `npm start` on the embedded database runs the same seed itself
 * (app/server/runtime.server.ts, MADOGUCHI_SEED_DEMO).
 */
import { openScriptDatabase } from './lib/database.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { sealAudit } from '../app/audit/audit.service.server.ts';
import { seedDemoData } from './seed/demo.ts';

const { db, env, secrets, close } = await openScriptDatabase({ applicationName: 'madoguchi-seed' });
try {
  const log = createLogger(env.LOG_LEVEL, { role: 'seed' });
  const seeded = await seedDemoData({ db, log, secrets, publicOrigin: env.publicOrigin });
  if (!seeded) console.log('The demo data is already there: nothing written.');
  // Chained now: the app may not be running to seal what the services recorded.
  await sealAudit(db);
} finally {
  await close();
}
