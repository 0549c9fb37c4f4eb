/**
 * npm run bench:push — one broadcast to 100,000 Web Push devices with the delivery window
 * shortened to zero, through pg-boss and worker processes (`MADOGUCHI_ROLE=worker node
 * server.ts`) to a local HTTPS push service in its own process: real RFC 8291 encryption and
 * VAPID for every push. Prints sends/s and the time for the whole fan-out.
 *
 * BENCH_PUSH_DEVICES (100000), BENCH_PUSH_WORKERS (worker processes, 1), PUSH_CONCURRENCY
 * (sends in flight per worker, 128), PUSH_BATCH_SIZE (1000); BENCH_PUSH_PROFILE=<dir> writes a CPU
 * profile of each worker there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { openDatabase } from '../app/platform/database.server.ts';
import { startBoss } from '../jobs/boss.ts';
import { createQueue } from '../jobs/queue.ts';
import { pushBatchQueue } from '../app/push/push.queues.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import { campaignProgress, planCampaign } from '../app/push/campaign.service.server.ts';
import { insertWebPushDevices } from '../test/support/push-devices.ts';
import { newSubscription } from '../test/support/push-service.ts';
import { freePort } from './lib/app.ts';

const DEVICES = Number(process.env.BENCH_PUSH_DEVICES ?? 100_000);
const WORKERS = Number(process.env.BENCH_PUSH_WORKERS ?? 1);
const BATCH = Number(process.env.PUSH_BATCH_SIZE ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-push-'));
chmodSync(dir, 0o755); // the embedded server runs as the postgres user
const children: ChildProcess[] = [];

// A throw-away embedded cluster in the temporary data folder, opened as the app opens its own.
const env = parseEnv({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_PG_PORT: String(await freePort()) });
const database = await openDatabase(env, loadSecrets(dir), {
  max: 10,
  embedded: 'start',
  migrate: true,
});
const { connection } = database;
try {
  // The push service, in its own process.
  const serviceProcess = spawn(process.execPath, ['bench/lib/push-service-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(serviceProcess);
  const firstLine = await new Promise<string>((resolve) =>
    createInterface({ input: serviceProcess.stdout! }).once('line', resolve),
  );
  const service = JSON.parse(firstLine) as { origin: string; ca: string };
  const caFile = join(dir, 'push-ca.pem');
  writeFileSync(caFile, service.ca);
  console.log(`seeding ${DEVICES.toLocaleString('en')} Web Push devices…`);
  await insertWebPushDevices(
    connection.db,
    { origin: service.origin, subscribe: (id) => newSubscription(service.origin, id) },
    DEVICES,
    { prefix: 'bench-' },
  );
  await connection.sql`vacuum analyze push_registration`;

  const boss = await startBoss(connection.sql, createLogger('silent'), { supervise: false });
  await createQueue(boss, pushBatchQueue);
  const notice = await publishNotice(connection.db, {
    audience: { type: 'all' },
    sender: 'operator',
    titleJa: 'ベンチマークのお知らせ',
    bodyJa: '本文',
    titleEn: 'Benchmark notice',
    bodyEn: 'Body',
    publishAt: new Date(),
    expiresAt: null,
    createdBy: null,
  });

  for (let i = 0; i < WORKERS; i++) {
    const profile = process.env.BENCH_PUSH_PROFILE
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PUSH_PROFILE]
      : [];
    const worker = spawn(process.execPath, [...profile, 'server.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        MADOGUCHI_ROLE: 'worker',
        DATABASE_URL: database.url,
        MADOGUCHI_DATA_DIR: join(dir, `worker-${i}`),
        MADOGUCHI_SECRET: 'bench-root-secret-0123456789abcdef0123',
        PUSH_EXTRA_CA_FILE: caFile,
        PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
        PUSH_QUIET_HOURS: 'off',
        PUSH_WINDOW_HOURS: '0',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(worker);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000)); // workers migrate and start polling

  const started = Date.now();
  const planned = await planCampaign(connection.db, boss, notice.id, {
    now: new Date(),
    windowHours: 0,
    quiet: null,
    batchSize: BATCH,
  });
  const planMs = Date.now() - started;
  console.log(
    `planned ${planned?.batches} batches for ${planned?.devices.toLocaleString('en')} devices in ${planMs} ms`,
  );

  let last = { at: started, sent: 0 };
  let peak = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [progress] = await campaignProgress(connection.db, { noticeId: notice.id });
    const now = Date.now();
    const handled = (progress?.sent ?? 0) + (progress?.failed ?? 0) + (progress?.deactivated ?? 0);
    const rate = ((handled - last.sent) * 1000) / (now - last.at);
    peak = Math.max(peak, rate);
    console.log(
      `  ${((now - started) / 1000).toFixed(0).padStart(4)} s  ${handled.toLocaleString('en').padStart(9)} handled  ${rate.toFixed(0).padStart(6)} sends/s`,
    );
    last = { at: now, sent: handled };
    if (progress?.state === 'done') {
      const seconds = (now - started) / 1000;
      console.log('');
      console.log(
        `bench:push  ${DEVICES.toLocaleString('en')} devices, ${WORKERS} worker process(es)`,
      );
      console.log(`  whole fan-out      ${seconds.toFixed(1)} s (planning ${planMs} ms)`);
      console.log(`  sends/s (overall)  ${(DEVICES / seconds).toFixed(0)}`);
      console.log(`  sends/s (peak 2 s) ${peak.toFixed(0)}`);
      console.log(
        `  sent ${progress.sent}, failed ${progress.failed}, deactivated ${progress.deactivated}; goal ≥ 5,000 sends/s`,
      );
      break;
    }
  }
  await boss.stop({ graceful: false });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) =>
      c.exitCode === null ? new Promise((resolve) => c.once('exit', resolve)) : null,
    ),
  );
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
