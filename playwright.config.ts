import { execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests run the built app exactly as `npm start` does: embedded PostgreSQL in an
 * empty data folder (so every run also proves a cold start), pg-boss in the same process.
 * Ports and the folder are chosen once in the main process; workers inherit them via env.
 */
function freePort(): string {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
process.env.E2E_PORT ??= freePort();
// Concurrent runs (two terminals) must not empty each other's artifact folders.
process.env.E2E_RUN_ID ??= String(process.pid);
process.env.E2E_PG_PORT ??= freePort();
if (!process.env.E2E_DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-'));
  chmodSync(dir, 0o755);
  process.env.E2E_DATA_DIR = dir;
}
const baseURL = `http://localhost:${process.env.E2E_PORT}`;

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  // Artifacts of failed tests; Playwright empties this folder at start, so the JSON reports live beside it.
  outputDir: `test-results/artifacts/${process.env.E2E_RUN_ID}`,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunch,
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunch } },
  ],
  webServer: {
    command: 'node server.ts',
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: process.env.E2E_PORT,
      MADOGUCHI_PG_PORT: process.env.E2E_PG_PORT,
      MADOGUCHI_DATA_DIR: process.env.E2E_DATA_DIR,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  },
});
