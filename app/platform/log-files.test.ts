import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogFiles } from './log-files.server.ts';
import { createLogger } from './logger.server.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rotating log files', () => {
  it('start a new file each period, gzip the old one, keep only the retention, redact secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-logs-'));
    dirs.push(dir);
    const files = openLogFiles({ dir, name: 'madoguchi', retentionDays: 2, interval: '1s' });
    // Level "warn" keeps the test's stdout short; the files get what the logger lets through.
    const log = createLogger('warn', { role: 'test' }, files);
    for (let period = 0; period < 5; period++) {
      log.warn({ period, password: 'hunter2', path: '/ja/' }, 'line');
      await sleep(1100);
    }
    log.warn({ period: 'last' }, 'line');
    await new Promise<void>((done) => files.end(done));
    await sleep(200); // the last compression finishes after the stream ends

    const names = readdirSync(dir).filter((n) => !n.startsWith('.'));
    const rotated = names.filter((n) => /^madoguchi-\d{8}T\d{6}(-\d+)?\.log\.gz$/.test(n));
    expect(names).toContain('madoguchi.log');
    // Five periods ended; only the newest two compressed files are kept.
    expect(rotated).toHaveLength(2);
    expect(statSync(join(dir, 'madoguchi.log')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const lines = rotated
      .sort()
      .flatMap((n) =>
        gunzipSync(readFileSync(join(dir, n)))
          .toString('utf8')
          .trim()
          .split('\n'),
      )
      // A period in which nothing was written (a slow machine's sleep crossed two) is an
      // empty file: rotated and kept all the same.
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The oldest periods went with their files; what is kept is in order, none lost between.
    const periods = lines.map((l) => l.period as number);
    expect(periods).not.toContain(0);
    expect(periods).toEqual([...periods].sort());
    expect(periods.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) {
      expect(l).toMatchObject({ level: 'warn', msg: 'line', role: 'test', password: '[redacted]' });
      expect(JSON.stringify(l)).not.toContain('hunter2');
    }
    const current = readFileSync(join(dir, 'madoguchi.log'), 'utf8').trim().split('\n');
    expect(current.map((l) => (JSON.parse(l) as { period: unknown }).period)).toContain('last');
  }, 20_000);

  it('a log line after the files are closed does not throw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-logs-'));
    dirs.push(dir);
    const files = openLogFiles({ dir, name: 'madoguchi', retentionDays: 2 });
    const log = createLogger('error', {}, files);
    await new Promise<void>((done) => files.end(done));
    expect(() => log.error('late')).not.toThrow();
    await sleep(50);
  });
});
