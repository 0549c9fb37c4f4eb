/**
 * npm run db:backup — a base backup now (the running app's embedded server, or started for
 * this command; or DATABASE_URL on this machine), verified, then the retention applied.
 * Exit 0 with the backup's id, 1 on any failure.
 */
import { openScriptDatabase } from './lib/database.ts';
import { connect } from '../db/connection.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { runBackup } from '../app/operations/backup-run.server.ts';

const opened = await openScriptDatabase({ applicationName: 'madoguchi-backup', migrate: false });
const connection = connect(opened.url, { max: 2, applicationName: 'madoguchi-backup' });
let exitCode = 1;
try {
  const run = await runBackup(
    connection.sql,
    opened.env.backups,
    opened.secrets,
    createLogger('warn'),
  );
  const mb = run.manifest.files.reduce((s, f) => s + f.size, 0) / 1e6;
  console.log(
    `backup ${run.manifest.id} taken and verified: ${mb.toFixed(1)} MB in ${opened.env.backups.dir}` +
      (run.retention.removedBackups.length || run.retention.removedWalFiles
        ? `; retention removed ${run.retention.removedBackups.length} backups and ${run.retention.removedWalFiles} WAL files`
        : ''),
  );
  exitCode = 0;
} catch (error) {
  console.error(`backup failed: ${error instanceof Error ? error.message : error}`);
} finally {
  await connection.close();
  await opened.close();
}
process.exit(exitCode);
