/**
 * npm run bench:restore — a base backup and a point-in-time restore of the national-scale
 * data set (issue 14; the seed's RTO is 2 hours):
 *   (1) a throw-away embedded PostgreSQL with WAL archiving on, migrated like the app's;
 *   (2) `npm run seed:scale -- --residents BENCH_RESTORE_RESIDENTS` (1,000,000) into it;
 *   (3) a base backup as the daily job takes it (runBackup: pg_backup_start/stop, zstd tar,
 *       manifest with SHA-256, the verification read): seconds and bytes;
 *   (4) a marker audited, a time T noted, a second marker, WAL archived;
 *   (5) a restore to T into a new folder (extract, WAL replay, promote): seconds; then the
 *       restored cluster started as the app starts it: the residents counted, the first
 *       marker there, the second not, the audit chain verified.
 * Folders live under BENCH_RESTORE_DIR (default the system temp folder) and are removed.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseEnv } from '../app/env.server.ts';
import { loadSecrets } from '../app/platform/secrets.server.ts';
import { openDatabase, type OpenedDatabase } from '../app/platform/database.server.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { recordAudit, sealAudit, verifyAuditChain } from '../app/audit/audit.service.server.ts';
import { runBackup } from '../app/operations/backup-run.server.ts';
import { restoreBackup } from '../app/operations/restore.service.server.ts';
import { freePort } from './lib/app.ts';

const RESIDENTS = Number(process.env.BENCH_RESTORE_RESIDENTS ?? 1_000_000);
const root = mkdtempSync(join(process.env.BENCH_RESTORE_DIR ?? tmpdir(), 'madoguchi-restore-'));
chmodSync(root, 0o755); // the embedded server runs as the postgres user
const silent = createLogger('silent');
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

async function start(dataDir: string, extra: Record<string, string> = {}) {
  const env = parseEnv({
    MADOGUCHI_DATA_DIR: dataDir,
    MADOGUCHI_PG_PORT: String(await freePort()),
    MADOGUCHI_LOG_DIR: 'off',
    ...extra,
  });
  const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
  const database = await openDatabase(env, secrets, { max: 4, embedded: 'start', migrate: true });
  return { env, secrets, database, db: database.connection.db };
}

async function marker(db: OpenedDatabase['connection']['db'], name: string) {
  await recordAudit(db, {
    actorType: 'system',
    action: 'bench.restore',
    outcome: 'success',
    details: { marker: name },
  });
  await sealAudit(db);
}

function seedScale(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['scripts/seed-scale.ts', '--residents', String(RESIDENTS), '--force'],
      { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`seed:scale exited ${code}`)),
    );
  });
}

const sourceDir = join(root, 'source');
let source: Awaited<ReturnType<typeof start>> | undefined;
try {
  console.log(
    `bench:restore — ${RESIDENTS.toLocaleString('en')} residents, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  source = await start(sourceDir);
  const t0 = performance.now();
  await seedScale(source.database.url);
  const seeded = performance.now() - t0;
  const [{ size }] = (
    await sql<{ size: string }>`select pg_database_size(current_database())::text as size`.execute(
      source.db,
    )
  ).rows as [{ size: string }];

  const b0 = performance.now();
  const run = await runBackup(
    source.database.connection.sql,
    source.env.backups,
    source.secrets,
    silent,
  );
  const backupMs = performance.now() - b0;
  const backupBytes = run.manifest.files.reduce((sum, f) => sum + f.size, 0);

  await marker(source.db, 'kept');
  await new Promise((r) => setTimeout(r, 1100));
  const target = new Date();
  await new Promise((r) => setTimeout(r, 1100));
  await marker(source.db, 'after the target');
  await sql`select pg_switch_wal()`.execute(source.db);
  await new Promise((r) => setTimeout(r, 3000)); // archive_command stores the closed segment

  const into = join(root, 'restored');
  const r0 = performance.now();
  await restoreBackup({
    settings: source.env.backups,
    key: undefined,
    target: { time: target },
    into,
    secretsFile: join(sourceDir, 'secrets.json'),
  });
  const restoreMs = performance.now() - r0;
  await source.database.close();
  source = undefined;

  const s0 = performance.now();
  const restored = await start(into, { MADOGUCHI_BACKUP: 'off' });
  const startMs = performance.now() - s0;
  const [{ residents }] = (
    await sql<{ residents: string }>`select count(*)::text as residents from resident`.execute(
      restored.db,
    )
  ).rows as [{ residents: string }];
  const { rows: found } = await sql<{ marker: string }>`
    select details->>'marker' as marker from audit_log where action = 'bench.restore' order by seq`.execute(
    restored.db,
  );
  const chain = await verifyAuditChain(restored.db);
  await restored.database.close();

  console.table([
    { step: 'seed:scale', seconds: seconds(seeded), MB: mb(Number(size)) },
    {
      step: 'base backup (zstd, checksums, verified)',
      seconds: seconds(backupMs),
      MB: mb(backupBytes),
    },
    {
      step: 'restore to a time (extract + WAL replay)',
      seconds: seconds(restoreMs),
      MB: mb(folderBytes(into)),
    },
    { step: 'start the restored folder as the app does', seconds: seconds(startMs), MB: '' },
  ]);
  const markers = found.map((f) => f.marker);
  const exact = markers.length === 1 && markers[0] === 'kept';
  console.log(
    `restored: ${Number(residents).toLocaleString('en')} residents; markers ${JSON.stringify(markers)} ` +
      `(${exact ? 'exactly up to the time' : 'NOT exactly up to the time'}); audit chain ${chain.ok ? 'verified' : 'BROKEN'}`,
  );
  const rto = (restoreMs + startMs) / 1000;
  console.log(
    `goal: restore well inside the RTO of 2 hours: ${rto < 7200 ? 'met' : 'NOT met'} (${seconds(restoreMs + startMs)} s)`,
  );
  if (!exact || !chain.ok || Number(residents) !== RESIDENTS) process.exitCode = 1;
} finally {
  await source?.database.close().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}
