/**
 * PostgreSQL's restore_command during `npm run db:restore`:
 * node scripts/wal-restore.ts <archive dir> %f %p [key file]. Exit 1 when the archive has no
 * such file (the normal end of recovery) or it cannot be read.
 */
import { readKeyFile, restoreWal } from '../app/operations/wal-archive.server.ts';

const [archiveDir, name, target, keyFile] = process.argv.slice(2);
if (!archiveDir || !name || !target) {
  console.error('usage: wal-restore.ts <archive dir> <%f> <%p> [key file]');
  process.exit(2);
}
try {
  if (!(await restoreWal(archiveDir, name, target, readKeyFile(keyFile)))) process.exit(1);
} catch (error) {
  console.error(`wal-restore: ${name}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
