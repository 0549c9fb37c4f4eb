import type { Sql } from '../../db/connection.ts';
import type { Secrets } from '../../app/platform/secrets.server.ts';
import type { BackupSettings } from '../../app/operations/backup-settings.ts';
import { dailyCronUtc } from '../../app/operations/backup-settings.ts';
import { backupDailyQueue } from '../../app/operations/backup.queues.ts';
import { listBackups } from '../../app/operations/backup.service.server.ts';
import { runBackup } from '../../app/operations/backup-run.server.ts';
import { handleQueue } from '../queue.ts';

/** A backup finished this recently makes a retried or doubled job a no-op. */
const RECENT_MS = 3600_000;

export type BackupDeps = { sql: Sql; settings: BackupSettings; secrets: Secrets };

/**
 * The daily base backup, verified, then the retention. Scheduled only when backups are on;
 * a job left from an earlier configuration does nothing when they are off.
 */
export const backupDailyHandler = ({ sql, settings, secrets }: BackupDeps) => {
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
    await runBackup(sql, settings, secrets, log);
  });
  return settings.enabled ? { ...handler, schedule: dailyCronUtc(settings.time) } : handler;
};
