import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Backup settings from the environment (README "Backups"), parsed once by app/env.server.ts.
 * Kept to relative imports and erasable TypeScript: server.ts and the scripts run it directly.
 */
const BackupEnv = z.object({
  /** On by default with the embedded PostgreSQL; an external server archives on its own side. */
  MADOGUCHI_BACKUP: z.enum(['on', 'off', 'true', 'false']).optional(),
  MADOGUCHI_BACKUP_DIR: z.string().min(1).optional(),
  MADOGUCHI_BACKUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** HH:MM, Asia/Tokyo: when the daily base backup is taken. */
  MADOGUCHI_BACKUP_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Asia/Tokyo)')
    .default('03:00'),
  MADOGUCHI_BACKUP_ENCRYPT: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('false'),
});

export type BackupSettings = {
  enabled: boolean;
  /** The backup folder: base/ (one folder per base backup) and wal/ (archived segments). */
  dir: string;
  retentionDays: number;
  /** Hour and minute of the daily base backup, Asia/Tokyo. */
  time: { hour: number; minute: number };
  /** AES-256-GCM per file, with a key derived from the installation secret. */
  encrypt: boolean;
};

export function parseBackupSettings(
  source: Record<string, string | undefined>,
  dataDir: string,
  embeddedDatabase: boolean,
): BackupSettings {
  const env = BackupEnv.parse(source);
  const [hour, minute] = env.MADOGUCHI_BACKUP_TIME.split(':').map(Number) as [number, number];
  return {
    enabled:
      env.MADOGUCHI_BACKUP === undefined
        ? embeddedDatabase
        : env.MADOGUCHI_BACKUP === 'on' || env.MADOGUCHI_BACKUP === 'true',
    dir: resolve(env.MADOGUCHI_BACKUP_DIR ?? join(dataDir, 'backups')),
    retentionDays: env.MADOGUCHI_BACKUP_RETENTION_DAYS,
    time: { hour, minute },
    encrypt: ['true', '1', 'yes'].includes(env.MADOGUCHI_BACKUP_ENCRYPT),
  };
}

/** The pg-boss cron (UTC) for a time of day in Asia/Tokyo (UTC+9, no daylight saving). */
export function dailyCronUtc(time: { hour: number; minute: number }): string {
  return `${time.minute} ${(time.hour + 24 - 9) % 24} * * *`;
}
