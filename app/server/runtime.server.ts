import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { sql } from 'kysely';
import { parseEnv, type Env } from '../env.server.ts';
import { createLogger, type Logger } from '../platform/logger.server.ts';
import { openLogFiles } from '../platform/log-files.server.ts';
import { loadSecrets, type Secrets } from '../platform/secrets.server.ts';
import { connect, type Connection } from '../../db/connection.ts';
import type { EmbeddedPostgres } from '../../db/embedded.ts';
import { openDatabase } from '../platform/database.server.ts';
import { startAuditSealer } from '../audit/audit-sealer.server.ts';
import { migrateToLatest, pendingMigrations } from '../../db/migrator.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createQueues, jobHandlers, startWorkers } from '../../jobs/worker.ts';
import { queues } from '../../jobs/queues.ts';
import { seedDemoData } from '../../scripts/seed/demo.ts';
import { createPushRuntime, type PushRuntime } from '../push/runtime.server.ts';
import { createMailSender, type MailSender } from '../mail/transport.server.ts';
import type { Readiness } from '../context.ts';
import { issuerKeys } from '../credentials/issuer-keys.server.ts';
import { startIssuanceWorker, type IssuanceWorker } from '../credentials/issuance-worker.server.ts';
import { listenForIssued } from '../credentials/issuance-wake.server.ts';

/** Everything one Madoguchi process holds: built once at start, closed once at stop. */
export type Runtime = {
  env: Env;
  log: Logger;
  secrets: Secrets;
  connection: Connection;
  boss: PgBoss;
  embedded?: EmbeddedPostgres;
  readiness(): Promise<Readiness>;
  stop(): Promise<void>;
};

/**
 * Start-up order: data folder and secrets → database (embedded unless DATABASE_URL) →
 * migrations → pg-boss and every queue (and the workers, the credential issuance worker among
 * them, unless this process is web-only) →
 * demo data.
 * Stop runs in reverse, the embedded server last.
 */
export async function startRuntime(
  source: Record<string, string | undefined> = process.env,
): Promise<Runtime> {
  const env = parseEnv(source);
  const dataDir = resolve(env.MADOGUCHI_DATA_DIR);
  const logFiles =
    env.MADOGUCHI_LOG_DIR === 'off'
      ? undefined
      : openLogFiles({
          dir: resolve(env.MADOGUCHI_LOG_DIR ?? join(dataDir, 'logs')),
          name: env.MADOGUCHI_LOG_NAME,
          retentionDays: env.MADOGUCHI_LOG_RETENTION_DAYS,
        });
  const log = createLogger(env.LOG_LEVEL, { role: env.MADOGUCHI_ROLE }, logFiles);
  const closeLogFiles = () => new Promise<void>((done) => (logFiles ? logFiles.end(done) : done()));
  mkdirSync(dataDir, { recursive: true });
  const secrets = loadSecrets(dataDir, env.MADOGUCHI_SECRET);
  // The mdoc issuer's IACA and Document Signer: made on the first start (decision 0057).
  const issuer = await issuerKeys(env);
  log.info({ documentSigner: issuer.current.id }, 'mdoc issuer keys ready');

  const started = Date.now();
  const { connection, embedded, url } = await openDatabase(env, secrets, {
    embedded: 'start',
    onLog: (line) => log.debug({ postgres: line }, 'embedded postgres'),
    onWarning: (message) => log.warn(message),
  });
  if (embedded)
    log.info(
      {
        dir: join(dataDir, 'postgres'),
        port: env.MADOGUCHI_PG_PORT,
        ms: Date.now() - started,
      },
      'embedded PostgreSQL started',
    );

  let boss: PgBoss | undefined;
  let push: PushRuntime | undefined;
  let mail: MailSender | undefined;
  let sealer: { stop(): Promise<void> } | undefined;
  let issuance: IssuanceWorker | undefined;
  try {
    const applied = await migrateToLatest(connection.db);
    for (const r of applied)
      log.info({ migration: r.migrationName, status: r.status }, 'migration');
    sealer = startAuditSealer(connection.db, log);

    const runsWorkers = env.MADOGUCHI_ROLE !== 'web';
    boss = await startBoss(connection.sql, log, {
      supervise: runsWorkers,
      superviseIntervalSeconds: env.MADOGUCHI_SUPERVISE_SECONDS,
    });
    await createQueues(boss, queues);
    if (runsWorkers) {
      push = createPushRuntime({
        config: env.push,
        secrets,
        publicOrigin: env.publicOrigin,
      });
      mail = createMailSender(env);
      if (mail.transport === 'local')
        log.info('no SMTP_URL: mail is kept in the local mailbox, shown at /ja/admin/mail');
      await startWorkers(
        boss,
        jobHandlers({
          ...{ db: connection.db, boss, push, mail, publicOrigin: env.publicOrigin, env },
          backups: { sql: connection.sql, settings: env.backups, secrets },
        }),
        log,
      );
      // Credential requests are their own queue, not pg-boss jobs (decision 0060 addendum).
      issuance = await startIssuanceWorker({ db: connection.db, sql: connection.sql, env, log });
    } else {
      // A web process: credential requests waiting here are woken by the worker's process.
      issuance = await listenForIssued(connection.sql);
    }

    if (env.seedDemo)
      await seedDemoData({ db: connection.db, log, secrets, publicOrigin: env.publicOrigin });
  } catch (error) {
    await issuance?.stop();
    await boss?.stop({ graceful: false }).catch(() => {});
    await sealer?.stop();
    push?.close();
    mail?.close();
    await connection.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    await closeLogFiles();
    throw error;
  }

  const startedBoss = boss;
  // Readiness asks on a connection of its own: a pool exhausted by slow queries must not
  // make /readyz hang too (decision 0064).
  const probe = connect(url, { max: 1, applicationName: 'madoguchi-readiness' });
  let stopping: Promise<void> | undefined;
  return {
    env,
    log,
    secrets,
    connection,
    boss: startedBoss,
    embedded,
    readiness: () => checkReadiness(probe, startedBoss),
    stop: () =>
      (stopping ??= (async () => {
        await startedBoss
          .stop({ graceful: true, timeout: 10_000 })
          .catch((e) => log.warn({ err: e }, 'pg-boss stop'));
        await issuance?.stop();
        push?.close();
        mail?.close();
        await sealer?.stop();
        await probe.close().catch(() => {});
        await connection.close().catch((e) => log.warn({ err: e }, 'pool close'));
        await embedded?.stop();
        log.info('stopped');
        await closeLogFiles();
      })()),
  };
}

/** pg-boss asks through the shared pool, which may be full: its answer gets a deadline. */
const QUEUE_CHECK_MS = 2000;

async function checkReadiness(connection: Connection, boss: PgBoss): Promise<Readiness> {
  const database: Readiness['checks']['database'] = { ok: true };
  let migrations: Readiness['checks']['migrations'] = { ok: false, pending: [] };
  try {
    await sql`select 1`.execute(connection.db);
    const pending = await pendingMigrations(connection.db);
    migrations = { ok: pending.length === 0, pending };
  } catch (error) {
    database.ok = false;
    database.error = error instanceof Error ? error.message : String(error);
  }
  let queue: Readiness['checks']['queue'] = { ok: false, state: 'unknown' };
  if (database.ok) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const installed = await Promise.race([
        boss.isInstalled(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer within 2 s')), QUEUE_CHECK_MS);
        }),
      ]);
      queue = { ok: installed, state: installed ? 'running' : 'not installed' };
    } catch (error) {
      queue = { ok: false, state: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
  return { ok: database.ok && migrations.ok && queue.ok, checks: { database, migrations, queue } };
}
