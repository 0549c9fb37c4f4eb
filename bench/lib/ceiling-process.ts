import { spawn } from 'node:child_process';
import { freePort } from './app.ts';

/**
 * Starts a ceiling server (a bare node:http + postgres.js script running the app's SQL) in a
 * process of its own and waits for its /healthz.
 */
export async function startCeilingProcess(
  script: string,
  databaseUrl: string,
  env: Record<string, string> = {},
) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      CEILING_DATABASE_URL: databaseUrl,
      CEILING_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`ceiling did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
