/**
 * npm run db:backups — the base backups in the backup folder, oldest first: when, age, size,
 * and whether they were verified. `-- --verify` verifies every one again now.
 */
import { resolve } from 'node:path';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import {
  listBackups,
  verifyBackup,
  walArchiveSummary,
} from '../app/operations/backup.service.server.ts';
import { backupKey } from '../app/operations/backup-run.server.ts';
import { describeBackups } from '../app/operations/backup-list.ts';

const env = parseEnv();
const settings = env.backups;
if (process.argv.includes('--verify')) {
  const key = backupKey(
    settings,
    loadSecrets(resolve(env.MADOGUCHI_DATA_DIR), env.MADOGUCHI_SECRET),
  );
  for (const { manifest } of listBackups(settings)) await verifyBackup(settings, manifest, key);
}
console.log(
  describeBackups(listBackups(settings), walArchiveSummary(settings), settings, new Date()),
);
