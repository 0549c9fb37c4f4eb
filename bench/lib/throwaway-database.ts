import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseEnv } from '../../app/env.server.ts';
import { loadSecrets } from '../../app/platform/secrets.server.ts';
import { openDatabase } from '../../app/platform/database.server.ts';
import { freePort } from './app.ts';

/**
 * A throw-away embedded PostgreSQL with durable commits, migrated like the app's, in a
 * temporary folder that close() removes; with a staff account to act as.
 */
export async function throwAwayDatabase(name: string, max: number) {
  const dir = mkdtempSync(join(tmpdir(), `madoguchi-bench-${name}-`));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user
  // No WAL archiving: a bench measures the app, not the archiver catching up on its bulk loads.
  const env = parseEnv({
    MADOGUCHI_DATA_DIR: dir,
    MADOGUCHI_PG_PORT: String(await freePort()),
    MADOGUCHI_BACKUP: 'off',
  });
  const database = await openDatabase(env, loadSecrets(dir), {
    max,
    embedded: 'start',
    migrate: true,
  });
  const db = database.connection.db;
  const { rows } = await sql<{ id: string }>`
    insert into account (kind, display_name) values ('staff', 'bench') returning id`.execute(db);
  const staffId = rows[0]!.id;
  return {
    db,
    sql: database.connection.sql,
    url: database.url,
    actor: { actorType: 'staff' as const, actorId: staffId, onBehalfOfResidentId: null, ip: null },
    async close() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
