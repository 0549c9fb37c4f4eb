import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export type RunningApp = { origin: string; pid: number; stop(): Promise<void> };

/**
 * CPU time (user + system) a process has used so far, in ms (Linux /proc), or NaN when it is
 * gone; with `reaped`, also what its exited and waited-for children used (cutime + cstime).
 */
export function cpuMs(pid: number, { reaped = false } = {}): number {
  try {
    // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are 14–17.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = fields.slice(11, reaped ? 15 : 13).reduce((n, f) => n + Number(f), 0);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/**
 * The whole machine's CPU time so far, in ms (Linux /proc/stat, every core): `busy` (all but
 * idle and iowait) and `all`. Over a run, busy / elapsed is how many cores were in use.
 */
export function machineCpuMs(): { busy: number; all: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  const all = ticks.slice(0, 8).reduce((n, t) => n + t, 0);
  const idle = ticks[3]! + ticks[4]!;
  return { busy: ((all - idle) * 1000) / 100, all: (all * 1000) / 100 };
}

/**
 * CPU ms of a bench's embedded PostgreSQL — its postmaster (found by `dataDirMarker` in its
 * command line, e.g. the throw-away folder's prefix), its live backends and the reaped ones.
 */
export function postgresCpuMs(dataDirMarker: string): number {
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const postmaster = pids.find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dataDirMarker);
    } catch {
      return false;
    }
  });
  if (!postmaster) return NaN;
  const children = pids.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === postmaster;
    } catch {
      return false;
    }
  });
  // A backend gone meanwhile counts through its parent's reaped time.
  return [postmaster, ...children].reduce(
    (n, p) => n + (cpuMs(Number(p), { reaped: true }) || 0),
    0,
  );
}

/**
 * The CPU time a process spends over one measured run, per request: pass `around` to the load
 * run, then read `perRequest` with its result.
 */
export function cpuMeter(pid: number) {
  let before = NaN;
  let used = NaN;
  return {
    around: {
      before: () => (before = cpuMs(pid)),
      after: () => (used = cpuMs(pid) - before),
    },
    perRequest: (r: { requests: number }) =>
      Math.round((used / Math.max(1, r.requests)) * 100) / 100,
  };
}

/** Resident set size of a process in MB (Linux /proc), or null where it cannot be read. */
export function rssMb(pid: number): number | null {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * Starts the built app (`node server.ts`) as `npm start` would, on an embedded PostgreSQL in a
 * temporary folder unless DATABASE_URL is given, with request logging quietened. With
 * BENCH_CPU_PROF=<folder>, the app writes a V8 CPU profile there when it stops (open it in
 * Chrome DevTools, or summarise it with `node bench/lib/profile-summary.ts <file>`).
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-'));
  chmodSync(dataDir, 0o755);
  let output = '';
  const profile = process.env.BENCH_CPU_PROF;
  const nodeArgs = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  // A worker-only process serves no HTTP: it is ready when it says so in its log.
  const workerOnly = env.MADOGUCHI_ROLE === 'worker';
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: workerOnly ? 'info' : 'warn',
      PORT: String(port),
      MADOGUCHI_PG_PORT: String(await freePort()),
      MADOGUCHI_DATA_DIR: dataDir,
      MADOGUCHI_BACKUP: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (workerOnly) {
      if (output.includes('Madoguchi is running its workers')) break;
    } else {
      try {
        if ((await fetch(`${origin}/readyz`)).ok) break;
      } catch {
        // not yet listening
      }
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    pid: child.pid ?? 0,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
