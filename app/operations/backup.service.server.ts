import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Sql } from '../../db/connection.ts';
import type { BackupSettings } from './backup-settings.ts';
import { baseBackupsDir, walArchiveDir } from './archiving.server.ts';
import {
  decodeFile,
  encodeToFile,
  hashFile,
  keyId,
  type StoredFile,
} from './backup-codec.server.ts';
import { extractTar, tarStream, type TarEntry, type WrittenEntry } from './tar.server.ts';

/**
 * Base backups with PostgreSQL's low-level API (decision 0061): pg_backup_start on one
 * connection held for the whole copy, the cluster folder streamed into a tar (zstd, and
 * AES-256-GCM when on), pg_backup_stop on the same connection, whose label goes into the
 * backup. manifest.json is written last: a folder without one is an unfinished backup.
 */
export type BackupManifest = {
  format: 1;
  id: string;
  label: string;
  startedAt: string;
  /** When pg_backup_stop returned with its WAL archived: the earliest point it restores to. */
  finishedAt: string;
  startLsn: string;
  stopLsn: string;
  /** The first WAL file the backup needs (from its backup_label). */
  startWalFile: string;
  timeline: number;
  pgVersion: string;
  encrypted: boolean;
  /** Fingerprint of the key (keyId), when encrypted. */
  keyId: string | null;
  /** Files in the backup folder, as stored. */
  files: ({ name: string } & StoredFile)[];
  /** Every file of the cluster inside base.tar. */
  contents: WrittenEntry[];
};

export type BackupVerification = {
  at: string;
  ok: boolean;
  detail: string;
  /** Set by the weekly check: restored and started, not only read back (decision 0064). */
  restored?: boolean;
};

export type BackupSummary = {
  manifest: BackupManifest;
  bytes: number;
  verification: BackupVerification | null;
};

const ARCHIVE = 'base.tar';
const STOP_TIMEOUT = '30min';
const LABEL = 'backup_label';
const SPCMAP = 'tablespace_map';
const storedName = (name: string, encrypted: boolean) => `${name}.zst${encrypted ? '.enc' : ''}`;

/** Folders whose contents a base backup leaves out (the folders themselves are kept). */
const EMPTY_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const SKIPPED_TOP_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'recovery.signal',
  'standby.signal',
  'postgresql.auto.conf.tmp',
]);

/** The cluster's files and folders a base backup copies, as PostgreSQL's docs list them. */
export function clusterEntries(pgData: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (relative: string, top: boolean) => {
    const absoluteDir = join(pgData, relative);
    for (const item of readdirSync(absoluteDir, { withFileTypes: true })) {
      const path = relative ? `${relative}/${item.name}` : item.name;
      if (item.name.startsWith('pgsql_tmp') || item.name === 'pg_internal.init') continue;
      if (top && SKIPPED_TOP_FILES.has(item.name)) continue;
      const absolute = join(absoluteDir, item.name);
      if (item.isDirectory()) {
        entries.push({ path, absolute, type: 'dir', mode: 0o700 });
        if (top && EMPTY_DIRS.has(item.name)) {
          // pg_wal keeps its subfolders (archive_status, summaries), empty.
          if (item.name === 'pg_wal')
            for (const sub of readdirSync(absolute, { withFileTypes: true }))
              if (sub.isDirectory())
                entries.push({
                  path: `${path}/${sub.name}`,
                  absolute: '',
                  type: 'dir',
                  mode: 0o700,
                });
          continue;
        }
        walk(path, false);
      } else if (item.isFile()) entries.push({ path, absolute, type: 'file', mode: 0o600 });
      else if (item.isSymbolicLink())
        throw new Error(`${path}: tablespaces and symbolic links are not supported`);
    }
  };
  walk('', true);
  return entries;
}

const backupId = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Takes a base backup now. `sql` reaches the cluster at `pgData` as a superuser. */
export async function takeBaseBackup(
  sql: Sql,
  settings: BackupSettings,
  pgData: string,
  key: Buffer | undefined,
  now: () => Date = () => new Date(),
): Promise<BackupManifest> {
  if (settings.encrypt && !key) throw new Error('encryption is on but no key was given');
  const started = now();
  let id = backupId(started);
  while (existsSync(join(baseBackupsDir(settings), id))) id = `${id}-1`;
  const dir = join(baseBackupsDir(settings), id);
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const label = `madoguchi ${id}`;
  const encrypted = Boolean(key);
  const connection = await sql.reserve();
  let inBackup = false;
  try {
    const [version] = await connection`select current_setting('server_version') as v`;
    const [start] = await connection`select pg_backup_start(${label}, true)::text as lsn`;
    inBackup = true;
    const contents: WrittenEntry[] = [];
    const files: BackupManifest['files'] = [];
    const store = async (name: string, source: Readable) => {
      const file = storedName(name, encrypted);
      files.push({ name: file, ...(await encodeToFile(source, join(dir, file), { key, name })) });
    };
    await store(ARCHIVE, Readable.from(tarStream(clusterEntries(pgData), contents)));
    // pg_backup_stop waits for the WAL it needs to be archived: a broken archive_command must
    // fail the backup, not hang it.
    await connection`select set_config('statement_timeout', ${STOP_TIMEOUT}, false)`;
    const [stop] = await connection<
      { lsn: string; labelfile: string; spcmapfile: string | null }[]
    >`
      select lsn::text, labelfile, spcmapfile from pg_backup_stop(true)`;
    inBackup = false;
    await store(LABEL, Readable.from([Buffer.from(stop!.labelfile, 'utf8')]));
    if (stop!.spcmapfile) await store(SPCMAP, Readable.from([Buffer.from(stop!.spcmapfile)]));
    const walFile = /START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)/.exec(stop!.labelfile)?.[1];
    const timeline = /START TIMELINE: (\d+)/.exec(stop!.labelfile)?.[1];
    if (!walFile || !timeline) throw new Error(`unexpected backup label:\n${stop!.labelfile}`);
    const manifest: BackupManifest = {
      format: 1,
      id,
      label,
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      startLsn: String(start!.lsn),
      stopLsn: stop!.lsn,
      startWalFile: walFile,
      timeline: Number(timeline),
      pgVersion: String(version!.v),
      encrypted,
      keyId: key ? keyId(key) : null,
      files,
      contents,
    };
    writeJson(join(dir, 'manifest.json'), manifest);
    return manifest;
  } catch (error) {
    if (inBackup) await connection`select pg_backup_stop(false)`.catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await connection`reset statement_timeout`.catch(() => {});
    connection.release();
  }
}

function writeJson(path: string, value: unknown) {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n', { mode: 0o640 });
  renameSync(`${path}.tmp`, path);
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Finished base backups, oldest first. */
export function listBackups(settings: BackupSettings): BackupSummary[] {
  const base = baseBackupsDir(settings);
  if (!existsSync(base)) return [];
  const found: BackupSummary[] = [];
  for (const id of readdirSync(base).sort()) {
    const manifest = readJson<BackupManifest>(join(base, id, 'manifest.json'));
    if (!manifest) continue;
    found.push({
      manifest,
      bytes: manifest.files.reduce((sum, f) => sum + f.size, 0),
      verification: readJson<BackupVerification>(join(base, id, 'verification.json')),
    });
  }
  return found.sort((a, b) => a.manifest.finishedAt.localeCompare(b.manifest.finishedAt));
}

/** A backup that needs another key says so before anything is read. */
export function checkBackupKey(manifest: BackupManifest, key: Buffer | undefined): void {
  if (!manifest.encrypted) return;
  if (!key)
    throw new Error(
      `backup ${manifest.id} is encrypted: set MADOGUCHI_BACKUP_ENCRYPT=true with the installation secret that made it`,
    );
  if (keyId(key) !== manifest.keyId)
    throw new Error(
      `backup ${manifest.id} was encrypted with another key (key id ${manifest.keyId}, this installation's ${keyId(key)}): use the MADOGUCHI_SECRET or secrets.json of the installation that made it`,
    );
}

/** Every stored file's size and SHA-256 against the manifest. */
export async function checkStoredFiles(settings: BackupSettings, manifest: BackupManifest) {
  const dir = join(baseBackupsDir(settings), manifest.id);
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) throw new Error(`backup ${manifest.id}: ${file.name} is missing`);
    const actual = await hashFile(path);
    if (actual.size !== file.size || actual.sha256 !== file.sha256)
      throw new Error(
        `backup ${manifest.id}: ${file.name} does not match its manifest (SHA-256 ${actual.sha256.slice(0, 12)}…, expected ${file.sha256.slice(0, 12)}…)`,
      );
  }
}

/** Opens one of the backup's stored files by its name in the backup (base.tar, backup_label). */
export function openBackupFile(
  settings: BackupSettings,
  manifest: BackupManifest,
  name: string,
  key: Buffer | undefined,
): Readable | null {
  const file = storedName(name, manifest.encrypted);
  if (!manifest.files.some((f) => f.name === file)) return null;
  return decodeFile(join(baseBackupsDir(settings), manifest.id, file), {
    key: manifest.encrypted ? key : undefined,
    name,
  });
}

/**
 * Verifies a backup completely: checksums as stored, then the archive opened, decompressed
 * and every file inside checked against the manifest. The result is kept beside it.
 */
export async function verifyBackup(
  settings: BackupSettings,
  manifest: BackupManifest,
  key: Buffer | undefined,
  now: () => Date = () => new Date(),
): Promise<BackupVerification> {
  let verification: BackupVerification;
  try {
    checkBackupKey(manifest, key);
    await checkStoredFiles(settings, manifest);
    const expected = new Map(manifest.contents.map((c) => [c.path, c.sha256]));
    const files = await extractTar(
      openBackupFile(settings, manifest, ARCHIVE, key)!,
      null,
      expected,
    );
    verification = { at: now().toISOString(), ok: true, detail: `${files} files match` };
  } catch (error) {
    verification = {
      at: now().toISOString(),
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  writeVerification(settings, manifest, verification);
  return verification;
}

/** Keeps a verification's outcome beside its backup (what `npm run db:backups` shows). */
export function writeVerification(
  settings: BackupSettings,
  manifest: BackupManifest,
  verification: BackupVerification,
): void {
  writeJson(join(baseBackupsDir(settings), manifest.id, 'verification.json'), verification);
}

/** Extracts a verified backup's cluster (with its backup_label) into `pgData`. */
export async function extractBackup(
  settings: BackupSettings,
  manifest: BackupManifest,
  key: Buffer | undefined,
  pgData: string,
): Promise<void> {
  const expected = new Map(manifest.contents.map((c) => [c.path, c.sha256]));
  await extractTar(openBackupFile(settings, manifest, ARCHIVE, key)!, pgData, expected);
  for (const name of [LABEL, SPCMAP]) {
    const stream = openBackupFile(settings, manifest, name, key);
    if (!stream) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    writeFileSync(join(pgData, name), Buffer.concat(chunks), { mode: 0o600 });
  }
}

/** The segment part of a WAL file name (log and segment numbers, without the timeline). */
const segmentOf = (walName: string) => walName.slice(8, 24);

export type RetentionResult = { removedBackups: string[]; removedWalFiles: number; kept: number };

/**
 * Keeps every base backup finished within the retention, plus the newest older one (so any
 * moment of the retention window can still be restored), and removes the rest; then removes
 * archived WAL from before the oldest kept backup's start. History files stay (tiny, and
 * needed to follow timelines). Unfinished backup folders older than a day go too.
 */
export function applyRetention(settings: BackupSettings, now: Date = new Date()): RetentionResult {
  const cutoff = now.getTime() - settings.retentionDays * 86_400_000;
  const backups = listBackups(settings);
  const older = backups.filter((b) => Date.parse(b.manifest.finishedAt) < cutoff);
  const keep = backups.filter((b) => Date.parse(b.manifest.finishedAt) >= cutoff);
  const anchor = older.at(-1);
  if (anchor) keep.unshift(anchor);
  const removedBackups: string[] = [];
  const base = baseBackupsDir(settings);
  for (const backup of older.slice(0, -1)) {
    rmSync(join(base, backup.manifest.id), { recursive: true, force: true });
    removedBackups.push(backup.manifest.id);
  }
  if (existsSync(base))
    for (const id of readdirSync(base)) {
      const dir = join(base, id);
      if (
        !existsSync(join(dir, 'manifest.json')) &&
        statSync(dir).mtimeMs < now.getTime() - 86_400_000
      )
        rmSync(dir, { recursive: true, force: true });
    }
  let removedWalFiles = 0;
  const oldest = keep[0];
  const wal = walArchiveDir(settings);
  if (oldest && existsSync(wal)) {
    const needed = segmentOf(oldest.manifest.startWalFile);
    for (const name of readdirSync(wal)) {
      const walName = /^([0-9A-F]{24})(\.[0-9A-F]{8}\.backup)?\.zst/.exec(name)?.[1];
      if (walName && segmentOf(walName) < needed) {
        rmSync(join(wal, name), { force: true });
        removedWalFiles++;
      }
    }
  }
  return { removedBackups, removedWalFiles, kept: keep.length };
}

export type WalArchiveSummary = { files: number; bytes: number; lastArchivedAt: Date | null };

/** How much WAL is archived and when the last segment arrived (is archiving alive?). */
export function walArchiveSummary(settings: BackupSettings): WalArchiveSummary {
  const wal = walArchiveDir(settings);
  const summary: WalArchiveSummary = { files: 0, bytes: 0, lastArchivedAt: null };
  if (!existsSync(wal)) return summary;
  for (const name of readdirSync(wal)) {
    if (name.startsWith('.')) continue;
    const stat = statSync(join(wal, name));
    summary.files++;
    summary.bytes += stat.size;
    if (!summary.lastArchivedAt || stat.mtime > summary.lastArchivedAt)
      summary.lastArchivedAt = stat.mtime;
  }
  return summary;
}
