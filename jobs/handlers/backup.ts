import type { Db, Sql } from '../../db/connection.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import type { BackupSettings } from '../../app/operations/backup-settings.ts';
import { dailyCronUtc } from '../../app/operations/backup-settings.ts';
import {
  backupDailyQueue,
  verifyBackupQueue,
  VERIFY_BACKUP_CRON_UTC,
} from '../../app/operations/backup.queues.ts';
import { backupKey } from '../../app/operations/backup-run.server.ts';
import { checkNewestBackupRestores } from '../../app/operations/restore-check.service.server.ts';
import { listBackups } from '../../app/operations/backup.service.server.ts';
import { runBackup } from '../../app/operations/backup-run.server.ts';
import { recordOperationRun } from '../../app/operations/operation-run.service.server.ts';
import { handleQueue } from '../queue.ts';

/** A backup finished this recently makes a retried or doubled job a no-op. */
const RECENT_MS = 3600_000;

export type BackupDeps = { sql: Sql; settings: BackupSettings; secrets: Secrets };

/**
 * The daily base backup, verified, then the retention. Scheduled only when backups are on;
 * a job left from an earlier configuration does nothing when they are off.
 */
export const backupDailyHandler = ({ sql, settings, secrets, db }: BackupDeps & { db: Db }) => {
  const handler = handleQueue(backupDailyQueue, async (_jobs, log) => {
    if (!settings.enabled) {
      log.info('backups are off (MADOGUCHI_BACKUP): nothing to do');
      return;
    }
    const last = listBackups(settings).at(-1);
    if (last && Date.now() - Date.parse(last.manifest.finishedAt) < RECENT_MS) {
      log.info({ backup: last.manifest.id }, 'a base backup was just taken: skipped');
      return;
    }
    // Every run is recorded, a failed one too (a full disk, decision 0064).
    await recordOperationRun(db, log, 'backup', async () => {
      const run = await runBackup(sql, settings, secrets, log);
      return {
        value: run,
        backupId: run.manifest.id,
        detail: `${run.verification.detail}; ${run.retention.removedBackups.length} old backups removed`,
      };
    });
  });
  return settings.enabled ? { ...handler, schedule: dailyCronUtc(settings.time) } : handler;
};

/**
 * The weekly restore check of the newest backup, recorded as a `verify-backup` run and beside
 * the backup. `secretsFile` is the installation's secrets.json (the data folder's).
 */
export const verifyBackupHandler = ({
  settings,
  secrets,
  db,
  secretsFile,
}: BackupDeps & { db: Db; secretsFile: string }) => {
  const handler = handleQueue(verifyBackupQueue, async (_jobs, log) => {
    if (!settings.enabled) return;
    if (listBackups(settings).length === 0) {
      log.info('no base backup yet: nothing to verify');
      return;
    }
    await recordOperationRun(db, log, 'verify-backup', async () => {
      const check = await checkNewestBackupRestores({
        settings,
        key: backupKey(settings, secrets),
        secretsFile,
      });
      log.info({ backup: check.backupId, ...check.verification }, 'backup restore check');
      if (!check.verification.ok)
        throw new Error(`backup ${check.backupId}: ${check.verification.detail}`);
      return { value: check, backupId: check.backupId, detail: check.verification.detail };
    });
  });
  return settings.enabled ? { ...handler, schedule: VERIFY_BACKUP_CRON_UTC } : handler;
};
