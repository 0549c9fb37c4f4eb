/**
 * npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded
 * database in MADOGUCHI_DATA_DIR when DATABASE_URL is unset. (npm start migrates too.)
 */
import { join, resolve } from 'node:path';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { connect } from './connection.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrator.ts';

const env = parseEnv();
const dataDir = resolve(env.MADOGUCHI_DATA_DIR);
const embedded = env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({
      dir: join(dataDir, 'postgres'),
      port: env.MADOGUCHI_PG_PORT,
      password: loadSecrets(dataDir, env.MADOGUCHI_SECRET).embeddedPostgresPassword,
      database: 'madoguchi',
    });
const connection = connect(env.DATABASE_URL ?? embedded!.url, { max: 2 });
try {
  const results = await migrateToLatest(connection.db);
  if (results.length === 0) console.log('No pending migrations.');
  for (const r of results) console.log(`${r.status}: ${r.migrationName}`);
} finally {
  await connection.close();
  await embedded?.stop();
}
