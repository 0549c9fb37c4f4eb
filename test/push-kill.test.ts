import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { useTestDatabase } from './database.ts';
import { startPushService, type PushService } from './support/push-service.ts';
import { insertWebPushDevices } from './support/push-devices.ts';
import { startBoss } from '../jobs/boss.ts';
import { createQueue } from '../jobs/queue.ts';
import { pushBatchQueue } from '../app/push/push.queues.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import { campaignProgress, planCampaign } from '../app/push/campaign.service.server.ts';

const database = useTestDatabase();
const DEVICES = 3000;

let service: PushService;
let boss: PgBoss;
let caFile: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  // A slow push service (15 ms an answer) so that the fan-out is still going when we kill.
  service = await startPushService({ delayMs: 15 });
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-kill-'));
  caFile = join(dir, 'push-ca.pem');
  writeFileSync(caFile, service.ca);
  boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
  await createQueue(boss, pushBatchQueue);
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await boss.stop({ graceful: false });
  await service.close();
});

/** A worker-only Madoguchi process (`MADOGUCHI_ROLE=worker node server.ts`) on the test database. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MADOGUCHI_ROLE: 'worker',
      DATABASE_URL: database.url,
      MADOGUCHI_DATA_DIR: mkdtempSync(join(tmpdir(), 'madoguchi-worker-')),
      MADOGUCHI_SECRET: 'kill-test-root-secret-0123456789abcdef',
      MADOGUCHI_SUPERVISE_SECONDS: '1',
      PUSH_EXTRA_CA_FILE: caFile,
      PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
      PUSH_QUIET_HOURS: 'off',
      PUSH_WINDOW_HOURS: '0',
      PUSH_CONCURRENCY: '16',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  workers.push(child);
  return child;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a worker killed in the middle of a fan-out', () => {
  it('kill -9, restart: every device gets its push, none more than twice', async () => {
    await insertWebPushDevices(database.connection.db, service, DEVICES, { prefix: 'kill-' });
    const notice = await publishNotice(database.connection.db, {
      audience: { type: 'all' },
      sender: 'operator',
      titleJa: '全員へ',
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(),
      expiresAt: null,
      createdBy: null,
    });
    const planned = await planCampaign(database.connection.db, boss, notice.id, {
      now: new Date(),
      windowHours: 0,
      quiet: null,
      batchSize: 500,
    });
    expect(planned).toMatchObject({ devices: DEVICES, batches: 6 });

    const first = startWorker();
    await until(() => service.total >= DEVICES / 4, 60_000, 'the first pushes');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = service.total;
    expect(atKill).toBeLessThan(DEVICES);

    const second = startWorker();
    const done = async () =>
      (await campaignProgress(database.connection.db, { noticeId: notice.id }))[0]?.state ===
      'done';
    await until(done, 120_000, 'the fan-out to finish after the restart');
    second.kill('SIGTERM');

    const counts = [...service.counts.entries()].filter(([id]) => id.startsWith('kill-'));
    expect(counts).toHaveLength(DEVICES); // nobody skipped
    expect(Math.max(...counts.map(([, n]) => n))).toBeLessThanOrEqual(2);
    const twice = counts.filter(([, n]) => n === 2).length;
    // Duplicates only from chunks in flight at the kill: at most 4 batches × 200 devices.
    expect(twice).toBeLessThanOrEqual(800);
    const [progress] = await campaignProgress(database.connection.db, { noticeId: notice.id });
    expect(progress).toMatchObject({ remaining: 0, failed: 0, batchesDone: 6 });
    console.info(`kill test: ${atKill} pushes before the kill, ${twice} devices got a duplicate`);
  }, 180_000);
});
