/**
 * npm run db:restore -- --to "2026-12-01T10:00+09:00" | --latest [--into <folder>]
 * Restores the backups in the backup folder into a NEW data folder (default inside the
 * current one, named by the time) and prints how to start Madoguchi on it. The current data
 * folder is never touched. Exit 0 restored, 1 not.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { backupKey } from '../app/operations/backup-run.server.ts';
import {
  parseRestoreTime,
  restoreBackup,
  type RestoreTarget,
} from '../app/operations/restore.service.server.ts';

let exitCode = 1;
try {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      latest: { type: 'boolean', default: false },
      into: { type: 'string' },
    },
  });
  if (Boolean(values.to) === values.latest)
    throw new Error('say --to "2026-12-01T10:00" (Japan time, or with an offset) or --latest');
  const env = parseEnv();
  const dataDir = resolve(env.MADOGUCHI_DATA_DIR);
  const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
  const target: RestoreTarget = values.to
    ? { time: parseRestoreTime(values.to) }
    : { latest: true };
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const into = resolve(values.into ?? join(dataDir, `restored-${stamp}`));
  console.log(
    `restoring ${'time' in target ? `to ${target.time.toISOString()}` : 'everything archived'} into ${into} …`,
  );
  const result = await restoreBackup({
    settings: env.backups,
    key: backupKey(env.backups, secrets),
    target,
    into,
    secretsFile: join(dataDir, 'secrets.json'),
  });
  console.log(
    `restored from base backup ${result.backup.id}; ${result.stoppedAt ?? 'recovery complete'}`,
  );
  console.log(`\nStop the running app, then start Madoguchi on the restored data:\n`);
  console.log(`  MADOGUCHI_DATA_DIR=${into} MADOGUCHI_BACKUP_DIR=${env.backups.dir} npm start\n`);
  console.log(
    `To make it the usual data: stop the app, move ${join(dataDir, 'postgres')} aside, then move ${join(into, 'postgres')} in its place.`,
  );
  exitCode = 0;
} catch (error) {
  console.error(`restore failed: ${error instanceof Error ? error.message : error}`);
}
process.exit(exitCode);
