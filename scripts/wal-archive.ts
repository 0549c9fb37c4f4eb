/**
 * PostgreSQL's archive_command (set by the embedded start when backups are on; README shows
 * it for an external server): node scripts/wal-archive.ts %p <archive dir> %f [key file].
 * Exit 0 only when the segment is stored (or already stored with the same content).
 */
import { archiveWal, readKeyFile } from '../app/operations/wal-archive.server.ts';

const [source, archiveDir, name, keyFile] = process.argv.slice(2);
if (!source || !archiveDir || !name) {
  console.error('usage: wal-archive.ts <%p> <archive dir> <%f> [key file]');
  process.exit(2);
}
try {
  await archiveWal(source, archiveDir, name, readKeyFile(keyFile));
} catch (error) {
  console.error(`wal-archive: ${name}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
