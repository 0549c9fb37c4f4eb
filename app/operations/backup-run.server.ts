import type { Sql } from '../../db/connection.ts';
import type { Logger } from '../platform/logger.server.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import type { BackupSettings } from './backup-settings.ts';
import { BACKUP_KEY_PURPOSE } from './backup-codec.server.ts';
import {
  applyRetention,
  takeBaseBackup,
  verifyBackup,
  type BackupManifest,
  type BackupVerification,
  type RetentionResult,
} from './backup.service.server.ts';

/** The backup key, when encryption is on: derived from the installation secret. */
export const backupKey = (settings: BackupSettings, secrets: Secrets) =>
  settings.encrypt ? secrets.key(BACKUP_KEY_PURPOSE) : undefined;

export type BackupRun = {
  manifest: BackupManifest;
  verification: BackupVerification;
  retention: RetentionResult;
};

/**
 * One backup run, as the daily job and `npm run db:backup` do it: a base backup of the
 * server the connection reaches (its data_directory must be readable here), read back and
 * verified, then the retention applied. WAL archiving must be on: without it the backup
 * could not be restored.
 */
export async function runBackup(
  sql: Sql,
  settings: BackupSettings,
  secrets: Secrets,
  log: Logger,
): Promise<BackupRun> {
  const [server] = await sql<{ archiveMode: string; dataDirectory: string }[]>`
    select current_setting('archive_mode') as "archiveMode",
           current_setting('data_directory') as "dataDirectory"`;
  if (!server || server.archiveMode === 'off')
    throw new Error(
      'WAL archiving is off on the database server: set MADOGUCHI_BACKUP=on (embedded) or archive_mode/archive_command (README, external PostgreSQL)',
    );
  const key = backupKey(settings, secrets);
  const started = Date.now();
  const manifest = await takeBaseBackup(sql, settings, server.dataDirectory, key);
  const verification = await verifyBackup(settings, manifest, key);
  const retention = applyRetention(settings);
  log.info(
    {
      backup: manifest.id,
      ms: Date.now() - started,
      bytes: manifest.files.reduce((s, f) => s + f.size, 0),
      verified: verification.ok,
      ...retention,
    },
    'base backup taken',
  );
  if (!verification.ok)
    throw new Error(`backup ${manifest.id} failed verification: ${verification.detail}`);
  return { manifest, verification, retention };
}
