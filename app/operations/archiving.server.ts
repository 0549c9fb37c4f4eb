import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackupSettings } from './backup-settings.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import type { EmbeddedPostgresOptions } from '../../db/embedded.ts';
import { BACKUP_KEY_PURPOSE } from './backup-codec.server.ts';

/**
 * Continuous WAL archiving for the embedded server (decision 0061): the settings it starts
 * with, and the folders and key file PostgreSQL's archive_command needs. PostgreSQL runs as
 * its own user (`postgres` when Madoguchi runs as root), so the archive folder and the key
 * file belong to that user.
 */

/** Seconds after which a partly filled WAL segment is archived anyway (bounds data loss). */
export const ARCHIVE_TIMEOUT_SECONDS = 300;

const script = (name: string) => fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));

/** Quoted for the shell PostgreSQL runs archive_command and restore_command with. */
export const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export const walArchiveDir = (settings: BackupSettings) => join(settings.dir, 'wal');
export const baseBackupsDir = (settings: BackupSettings) => join(settings.dir, 'base');
/** The derived backup key for PostgreSQL's archive command, beside the cluster. */
export const archiveKeyFile = (dataDir: string) => join(resolve(dataDir), 'backup-archive.key');

/** node scripts/wal-archive.ts %p <wal dir> %f [key file] */
export function archiveCommand(settings: BackupSettings, keyFile?: string): string {
  return [
    process.execPath,
    script('wal-archive.ts'),
    '%p',
    walArchiveDir(settings),
    '%f',
    ...(keyFile ? [keyFile] : []),
  ]
    .map((part) => (part.startsWith('%') ? part : shellQuote(part)))
    .join(' ');
}

/** node scripts/wal-restore.ts <wal dir> %f %p [key file] */
export function restoreCommand(settings: BackupSettings, keyFile?: string): string {
  return [
    process.execPath,
    script('wal-restore.ts'),
    walArchiveDir(settings),
    '%f',
    '%p',
    ...(keyFile ? [keyFile] : []),
  ]
    .map((part) => (part.startsWith('%') ? part : shellQuote(part)))
    .join(' ');
}

/** The server settings of an embedded cluster whose WAL is archived. */
export function archivingSettings(settings: BackupSettings, keyFile?: string): string[] {
  return [
    'wal_level=replica',
    'archive_mode=on',
    `archive_command=${archiveCommand(settings, keyFile)}`,
    `archive_timeout=${ARCHIVE_TIMEOUT_SECONDS}`,
  ];
}

/**
 * Creates the backup folders and writes (or, encryption off, removes) the key file, owned by
 * the user the server runs as.
 */
export function prepareArchiving(
  settings: BackupSettings,
  dataDir: string,
  key: Buffer | undefined,
  owner: { uid: number; gid: number },
): void {
  const wal = walArchiveDir(settings);
  mkdirSync(wal, { recursive: true, mode: 0o750 });
  mkdirSync(baseBackupsDir(settings), { recursive: true, mode: 0o750 });
  const keyFile = archiveKeyFile(dataDir);
  if (key) writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  else rmSync(keyFile, { force: true });
  if (process.getuid?.() === 0) {
    chownSync(settings.dir, owner.uid, owner.gid);
    chownSync(wal, owner.uid, owner.gid);
    if (key) chownSync(keyFile, owner.uid, owner.gid);
  }
}

/** What the embedded start adds when backups are on (nothing when they are off). */
export function embeddedArchiving(
  env: { backups: BackupSettings; MADOGUCHI_DATA_DIR: string },
  secrets: Secrets,
): Pick<EmbeddedPostgresOptions, 'settings' | 'beforeStart'> {
  if (!env.backups.enabled) return {};
  const key = env.backups.encrypt ? secrets.key(BACKUP_KEY_PURPOSE) : undefined;
  const keyFile = key ? archiveKeyFile(env.MADOGUCHI_DATA_DIR) : undefined;
  return {
    settings: archivingSettings(env.backups, keyFile),
    beforeStart: (owner) => prepareArchiving(env.backups, env.MADOGUCHI_DATA_DIR, key, owner),
  };
}
