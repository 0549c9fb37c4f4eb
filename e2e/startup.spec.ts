import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { test, expect } from '@playwright/test';

// `npm start` on a fresh machine: no DATABASE_URL, an empty data folder. The app must start
// its own PostgreSQL, migrate, seed, serve; stop cleanly on SIGTERM/Ctrl-C; and keep its
// data for the next start.

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['server.ts'], {
    env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  return { child, output: () => output };
}

async function waitReady(port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within 60 s:\n${output()}`);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.kill(signal);
  return exited;
}

test.describe('start-up on the embedded default', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-startup-'));
  chmodSync(dataDir, 0o755);
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('boots from an empty data folder, stops cleanly, and keeps its data on the next start', async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const env = {
      PORT: String(port),
      MADOGUCHI_PG_PORT: String(pgPort),
      MADOGUCHI_DATA_DIR: dataDir,
    };

    const first = start(env);
    await waitReady(port, first.output);
    const home = await fetch(`http://127.0.0.1:${port}/ja/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<html lang="ja"');
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true);

    const { embeddedPostgresPassword } = JSON.parse(
      readFileSync(join(dataDir, 'secrets.json'), 'utf8'),
    ) as { embeddedPostgresPassword: string };
    const url = `postgres://postgres:${encodeURIComponent(embeddedPostgresPassword)}@127.0.0.1:${pgPort}/madoguchi`;
    const read = async () => {
      const sql = postgres(url, { max: 1 });
      try {
        const [row] = await sql<
          { value: unknown }[]
        >`select value from app_meta where key = 'demo_seeded_at'`;
        return row?.value;
      } finally {
        await sql.end();
      }
    };
    const seeded = await read();
    expect(seeded).toBeTruthy();
    // Demo residents with a card number hold card data the app can receive as an mdoc.
    const cards = postgres(url, { max: 1 });
    try {
      const [row] = await cards<{ n: number }[]>`select count(*)::int as n from resident_card`;
      expect(row?.n).toBeGreaterThan(0);
    } finally {
      await cards.end();
    }
    // The first administrator's invitation is printed for the Japanese and the English page.
    const invitation = /\/ja\/admin\/accept\?token=(\S+)/.exec(first.output())?.[1];
    expect(invitation).toBeTruthy();
    expect(first.output()).toContain(`/en/admin/accept?token=${invitation}`);
    const en = await fetch(`http://127.0.0.1:${port}/en/admin/accept?token=${invitation}`);
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('<html lang="en"');

    expect(await stop(first.child, 'SIGTERM')).toBe(0);
    // PostgreSQL shut down cleanly: its pid file is gone and its log says so.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(first.output()).toContain('"msg":"stopped"');
    // The same lines went to the log file, flushed at stop, readable by the owner only.
    const logFile = join(dataDir, 'logs', 'madoguchi.log');
    const logged = readFileSync(logFile, 'utf8');
    expect(logged).toMatch(/"path":"\/ja\/","status":200/);
    expect(logged).toContain('"msg":"stopped"');
    expect(statSync(logFile).mode & 0o777).toBe(0o600);

    const second = start(env);
    await waitReady(port, second.output);
    // Same data: the demo seed ran once, on the first start only.
    expect(await read()).toEqual(seeded);
    expect(second.output()).not.toContain('demo data seeded');
    expect(await stop(second.child, 'SIGINT')).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
