import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.ts';
import { connect } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { startBoss } from '../jobs/boss.ts';
import { createLogger } from '../app/platform/logger.server.ts';

export const TEMPLATE_DATABASE = 'madoguchi_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://…/ without a database name; tests append their own. */
    databaseServerUrl: string;
    templateDatabase: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let pg: EmbeddedPostgres | undefined;
let dir: string | undefined;

/**
 * One real PostgreSQL for the whole run, in a temporary folder with durability off.
 * The template database is migrated (and pg-boss installed) once; each test file clones it.
 */
export async function setup(project: TestProject) {
  dir = mkdtempSync(join(tmpdir(), 'madoguchi-vitest-'));
  chmodSync(dir, 0o755); // the postgres user (root runs it as 'postgres') must reach its folder
  pg = await startEmbeddedPostgres({
    dir: join(dir, 'pg'),
    port: await freePort(),
    password: 'test',
    database: TEMPLATE_DATABASE,
    fast: true,
    persistent: false,
  });
  const connection = connect(pg.url, { max: 3 });
  await migrateToLatest(connection.db);
  const boss = await startBoss(connection.sql, createLogger('silent'), { supervise: false });
  await boss.stop({ graceful: false });
  await connection.close();
  project.provide('databaseServerUrl', pg.urlFor(''));
  project.provide('templateDatabase', TEMPLATE_DATABASE);
}

export async function teardown() {
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
