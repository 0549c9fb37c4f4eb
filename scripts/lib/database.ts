import { join, resolve } from 'node:path';
import { parseEnv, type Env } from '../../app/env.server.ts';
import { loadSecrets, type Secrets } from '../../app/platform/secrets.server.ts';
import { connect, type Db } from '../../db/connection.ts';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { migrateToLatest } from '../../db/migrator.ts';

/**
 * For command-line scripts: the database the app would use (DATABASE_URL, or the embedded
 * one in MADOGUCHI_DATA_DIR, started for the script if the app is not running), migrated.
 */
export async function openDatabase(): Promise<{
  db: Db;
  env: Env;
  secrets: Secrets;
  close(): Promise<void>;
}> {
  const env = parseEnv();
  const dataDir = resolve(env.MADOGUCHI_DATA_DIR);
  const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
  let url = env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const base = `postgres://postgres:${encodeURIComponent(secrets.embeddedPostgresPassword)}@127.0.0.1:${env.MADOGUCHI_PG_PORT}/madoguchi`;
    // If the app is running, its PostgreSQL answers already; otherwise start it for this script.
    const probe = connect(base, { max: 1 });
    const running = await probe.sql`select 1`.then(
      () => true,
      () => false,
    );
    await probe.close();
    if (running) url = base;
    else {
      const pg = await startEmbeddedPostgres({
        dir: join(dataDir, 'postgres'),
        port: env.MADOGUCHI_PG_PORT,
        password: secrets.embeddedPostgresPassword,
        database: 'madoguchi',
      });
      url = pg.url;
      stop = pg.stop;
    }
  }
  const connection = connect(url, { max: 2 });
  await migrateToLatest(connection.db);
  return {
    db: connection.db,
    env,
    secrets,
    async close() {
      await connection.close();
      await stop?.();
    },
  };
}
