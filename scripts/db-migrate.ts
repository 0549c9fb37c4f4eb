/**
 * npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded
 * database in MADOGUCHI_DATA_DIR when DATABASE_URL is unset (the running app's, or started
 * for this command). npm start migrates too.
 */
import { openScriptDatabase } from './lib/database.ts';
import { migrateToLatest } from '../db/migrator.ts';

const { db, close } = await openScriptDatabase({
  applicationName: 'madoguchi-migrate',
  migrate: false,
});
try {
  const results = await migrateToLatest(db);
  if (results.length === 0) console.log('No pending migrations.');
  for (const r of results) console.log(`${r.status}: ${r.migrationName}`);
} finally {
  await close();
}
