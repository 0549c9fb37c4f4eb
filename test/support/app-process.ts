import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/lib/app.ts';

/**
 * The built app as its own process (`node server.ts`), for the fault tests (decision 0064):
 * they kill it, starve it or take its database away, so it must be a real process.
 */
export type AppProcess = {
  origin: string;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
};

export function tempFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `madoguchi-${name}-`));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
  return dir;
}

/**
 * `fileSizeBlocks`: the process may write no file larger than this (`ulimit -f`, 512-byte
 * blocks in sh): a full disk for one process, without root or a small file system.
 */
export async function spawnApp(
  env: Record<string, string>,
  { fileSizeBlocks }: { fileSizeBlocks?: number } = {},
): Promise<AppProcess> {
  if (!existsSync('build/server/index.js'))
    throw new Error('the fault tests run the app build: run `npm run build` first');
  const port = Number(env.PORT ?? (await freePort()));
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const [command, args] = fileSizeBlocks
    ? ['/bin/sh', ['-c', `ulimit -f ${fileSizeBlocks} && exec "$0" server.ts`, process.execPath]]
    : [process.execPath, ['server.ts']];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      MADOGUCHI_SEED_DEMO: 'false',
      MADOGUCHI_PUBLIC_ORIGIN: origin,
      MADOGUCHI_SECRET: 'fault-test-root-secret-0123456789abcdef',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { origin, child, output: () => output, exited };
}

export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for /readyz to answer 200, or fails with what the process wrote. */
export async function ready(app: AppProcess, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void app.exited.then(() => (exited = true));
  await until(
    async () => {
      if (exited) throw new Error(`the app exited:\n${app.output()}`);
      return (await fetch(`${app.origin}/readyz`)).ok;
    },
    timeoutMs,
    'the app to be ready',
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${app.output()}`);
  });
}

/** A request and how long it took. */
export async function timed(url: string, init: RequestInit = {}) {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const body = await response.text();
  return { response, body, ms: Date.now() - started };
}
