/**
 * npm run bench:enqueue — what the checked send costs. Sends BENCH_ENQUEUE_JOBS (100000)
 * push.batch jobs inside one transaction, three ways, on a throw-away embedded cluster:
 * pg-boss's own insert (chunks of 5,000, what the push service did before), enqueueMany
 * (every payload parsed against the queue's schema first, same chunks), and the zod parse
 * alone. Prints jobs/s of each, best of BENCH_ENQUEUE_ROUNDS (3).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fromKysely } from 'pg-boss';
import { sql } from 'kysely';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { openDatabase } from '../app/platform/database.server.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { enqueueMany } from '../jobs/enqueue.ts';
import { pushBatchQueue } from '../app/push/push.queues.ts';
import { startBoss } from '../jobs/boss.ts';
import { createQueue } from '../jobs/queue.ts';
import { freePort } from './lib/app.ts';

const JOBS = Number(process.env.BENCH_ENQUEUE_JOBS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ENQUEUE_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-enqueue-'));
chmodSync(dir, 0o755); // the embedded server runs as the postgres user

const env = parseEnv({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_PG_PORT: String(await freePort()) });
const database = await openDatabase(env, loadSecrets(dir), {
  max: 10,
  embedded: 'start',
  migrate: true,
});
const { db } = database.connection;
try {
  const boss = await startBoss(database.connection.sql, createLogger('silent'), {
    supervise: false,
  });
  await createQueue(boss, pushBatchQueue);
  const campaignId = randomUUID();
  const jobs = Array.from({ length: JOBS }, (_, seq) => ({
    data: { campaignId, seq },
    startAfter: new Date(Date.now() + 86_400_000),
  }));

  const best = async (work: () => Promise<unknown>) => {
    let fastest = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      await sql`delete from pgboss.job where name = ${pushBatchQueue.name}`.execute(db);
      const started = performance.now();
      await work();
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  };
  const raw = await best(() =>
    db.transaction().execute(async (trx) => {
      for (let from = 0; from < jobs.length; from += 5000)
        await boss.insert(pushBatchQueue.name, jobs.slice(from, from + 5000), {
          db: fromKysely(trx),
        });
    }),
  );
  const checked = await best(() =>
    db.transaction().execute((trx) => enqueueMany(boss, trx, pushBatchQueue, jobs)),
  );
  const parse = await best(async () => {
    for (const job of jobs) pushBatchQueue.payload.parse(job.data);
  });
  const rate = (ms: number) => `${Math.round((JOBS / ms) * 1000).toLocaleString('en')} jobs/s`;
  console.log(
    `bench:enqueue  ${JOBS.toLocaleString('en')} jobs in one transaction, best of ${ROUNDS}`,
  );
  console.log(`  boss.insert (unchecked)  ${raw.toFixed(0).padStart(6)} ms  ${rate(raw)}`);
  console.log(`  enqueueMany (checked)    ${checked.toFixed(0).padStart(6)} ms  ${rate(checked)}`);
  console.log(`  payload parse alone      ${parse.toFixed(0).padStart(6)} ms  ${rate(parse)}`);
  await boss.stop({ graceful: false });
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
