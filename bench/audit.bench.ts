/**
 * npm run bench:audit — what writing an audit entry inside a business transaction costs
 * when many transactions run at once (a booking, an issuance: the change and its audit row
 * commit together). BENCH_AUDIT_WRITERS (100) writers each loop for BENCH_SECONDS (10):
 * begin → change a row of their own → write the audit entry → BENCH_AUDIT_WORK_MS (2) of
 * further work in the transaction (pg_sleep) → commit, sharing BENCH_AUDIT_POOL (50)
 * connections. The same loop without the audit entry is the ceiling. A sealer chains the
 * committed entries meanwhile, as in the app; the table says how many were still waiting when
 * the writers stopped and how long the last seal took. A throw-away embedded PostgreSQL with
 * durable commits, migrated like the app's.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { openDatabase } from '../app/platform/database.server.ts';
import { recordAudit, sealAudit, unsealedAudit } from '../app/audit/audit.service.server.ts';
import { startAuditSealer } from '../app/audit/audit-sealer.server.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { freePort } from './lib/app.ts';

const WRITERS = Number(process.env.BENCH_AUDIT_WRITERS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WORK_MS = Number(process.env.BENCH_AUDIT_WORK_MS ?? 2);
// Connections the writers share (PostgreSQL allows 100 by default; the app's pool is 10).
const POOL = Number(process.env.BENCH_AUDIT_POOL ?? 50);

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-audit-'));
chmodSync(dir, 0o755); // the embedded server runs as the postgres user
const env = parseEnv({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_PG_PORT: String(await freePort()) });
const database = await openDatabase(env, loadSecrets(dir), {
  max: POOL,
  embedded: 'start',
  migrate: true,
});
const db = database.connection.db;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

async function run(name: string, audited: boolean) {
  const times: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  const writer = async (n: number) => {
    while (Date.now() < until) {
      const started = performance.now();
      await db.transaction().execute(async (trx) => {
        await sql`insert into app_meta (key, value) values (${`bench-audit-${n}`}, ${JSON.stringify(started)}::jsonb)
                  on conflict (key) do update set value = excluded.value`.execute(trx);
        if (audited)
          await recordAudit(trx, {
            actorType: 'system',
            action: 'bench.audit_write',
            targetType: 'bench',
            targetId: String(n),
            outcome: 'success',
            details: { writer: n },
          });
        if (WORK_MS > 0) await sql`select pg_sleep(${WORK_MS / 1000})`.execute(trx);
      });
      times.push(performance.now() - started);
    }
  };
  // As in the app: a sealer chains committed entries a few times a second meanwhile.
  const sealer = audited ? startAuditSealer(db, createLogger('silent')) : undefined;
  await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));
  const left = await unsealedAudit(db);
  const sealStarted = performance.now();
  await sealer?.stop();
  times.sort((a, b) => a - b);
  return {
    name,
    'unsealed at the end': left.count,
    'final seal ms': Math.round(performance.now() - sealStarted),
    'transactions/s': Math.round(times.length / SECONDS),
    'p50 ms': round(percentile(times, 50)),
    'p95 ms': round(percentile(times, 95)),
    'p99 ms': round(percentile(times, 99)),
  };
}

try {
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  const loadBefore = load();
  const results = [
    await run('ceiling: the same transaction without an audit entry', false),
    await run('with its audit entry in the transaction', true),
  ];
  console.log(
    `\nbench:audit — ${WRITERS} concurrent writers on ${POOL} connections, ${SECONDS} s each, ${WORK_MS} ms of work after the audit write, ` +
      `${cpus().length} cores, load ${loadBefore} → ${load()}`,
  );
  console.table(results);
  const check = await sealAudit(db);
  console.log(`entries still unsealed after the sealer stopped: ${check.sealed}`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
