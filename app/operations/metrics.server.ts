import type { NextFunction, Request, Response } from 'express';
import type { PgBoss } from 'pg-boss';
import type { ServerBuild } from '@remix-run/node';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Sql } from '../../db/connection.ts';
import { registry } from '../platform/metrics.server.ts';
import { matchBuildRoutes } from '../platform/route-match.server.ts';
import type { BackupSettings } from './backup-settings.ts';
import { backupStatus, recordedRuns } from './operations.service.server.ts';
import {
  ISSUE_QUEUE,
  countIssuanceQueue,
} from '../credentials/issuance-queue.repository.server.ts';
import type { Db } from '../../db/connection.ts';

/**
 * Operations metrics (decision 0063): request durations by route pattern, database pool use,
 * job outcomes and dead letters per queue, and the backups' age and results. Label values are
 * patterns and queue names only: never a raw path, an id or anything a person typed.
 */

const httpDuration = new Histogram({
  name: 'madoguchi_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern, method and status class',
  labelNames: ['route', 'method', 'status_class'] as const,
  // Dense around the 1 s goal (the seed's p95) so histogram_quantile is exact enough there.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  registers: [registry],
});

/** Methods outside this list are counted as OTHER: a client cannot invent label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Paths the HTTP front answers itself, outside Remix. */
const FRONT_ROUTES = new Set(['/metrics']);

/**
 * The route label of a request: the matched Remix route's path pattern
 * ("/:lang/admin/targets/:targetId"), "static" for files, the path of the few routes the HTTP
 * front answers itself, and "unmatched" for anything else.
 */
export function routeLabel(routes: ServerBuild['routes'] | undefined, path: string): string {
  if (path.startsWith('/build/')) return 'static';
  if (FRONT_ROUTES.has(path)) return path;
  const fileName = /\.[^/]*$/.test(path);
  const matches = routes ? matchBuildRoutes(routes, path) : null;
  const segments = (matches ?? []).map((m) => m.route.path).filter((p): p is string => !!p);
  // A file name matched only by a parameter (/:lang, /:lang/*) is a file, found or not; a
  // route with a dot of its own (audit.csv) is a route.
  if (matches && (!fileName || segments.at(-1)?.includes('.'))) return `/${segments.join('/')}`;
  return fileName ? 'static' : 'unmatched';
}

/** Express middleware: observes every request's duration when its response is finished. */
export function requestDurations(getRoutes: () => ServerBuild['routes'] | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = httpDuration.startTimer();
    res.on('finish', () => {
      stop({
        route: routeLabel(getRoutes(), req.path),
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        status_class: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
}

/** Jobs finished by this process's workers, per queue and outcome (completed, failed). */
export const jobOutcomes = new Counter({
  name: 'madoguchi_jobs_total',
  help: 'Jobs handled by this process, by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

const deadLetters = new Gauge({
  name: 'madoguchi_job_dead_letters',
  help: 'Jobs waiting in a queue’s dead-letter queue (failed every retry), by source queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

const jobsFailed = new Gauge({
  name: 'madoguchi_jobs_failed',
  help: 'Failed jobs still stored per queue (pg-boss counts)',
  labelNames: ['queue'] as const,
  registers: [registry],
});

const poolMax = new Gauge({
  name: 'madoguchi_db_pool_max_connections',
  help: 'Size of this process’s database pool',
  registers: [registry],
});

const dbConnections = new Gauge({
  name: 'madoguchi_db_connections',
  help: 'Server connections of Madoguchi (its application_name), by state (active, idle, idle in transaction, …)',
  labelNames: ['state'] as const,
  registers: [registry],
});

const backupAge = new Gauge({
  name: 'madoguchi_backup_last_success_age_seconds',
  help: 'Seconds since the last base backup that was taken and verified (NaN without one)',
  registers: [registry],
});

const backupResult = new Gauge({
  name: 'madoguchi_backup_last_result',
  help: 'The last base backup run: 1 succeeded, 0 failed (NaN before the first)',
  registers: [registry],
});

const verifyResult = new Gauge({
  name: 'madoguchi_backup_last_verify_result',
  help: 'The most recent verification of a base backup: 1 passed, 0 failed (NaN before the first)',
  registers: [registry],
});

const backupsKept = new Gauge({
  name: 'madoguchi_backups_kept',
  help: 'Finished base backups in the backup folder',
  registers: [registry],
});

const backupsEnabled = new Gauge({
  name: 'madoguchi_backup_enabled',
  help: '1 when this installation takes base backups (MADOGUCHI_BACKUP)',
  registers: [registry],
});

const DEAD_SUFFIX = '.dead';

/**
 * Reads what a scrape shows from the database and the backup folder: pg-boss's own queue
 * counts (one small query), pg_stat_activity for this application, and the backup manifests.
 */
export async function collectOperationsMetrics(deps: {
  sql: Sql;
  /** For the runs the jobs recorded (a failed backup that left no manifest). */
  db?: Db;
  boss: PgBoss;
  backups: BackupSettings;
  now?: Date;
}): Promise<void> {
  const { sql, boss } = deps;
  deadLetters.reset();
  jobsFailed.reset();
  for (const queue of await boss.getQueues()) {
    // The credential requests are their own queue (decision 0060 addendum): counted below.
    if (queue.name === ISSUE_QUEUE || queue.name === ISSUE_QUEUE + DEAD_SUFFIX) continue;
    if (queue.name.endsWith(DEAD_SUFFIX))
      deadLetters.set({ queue: queue.name.slice(0, -DEAD_SUFFIX.length) }, queue.queuedCount);
    else jobsFailed.set({ queue: queue.name }, queue.failedCount);
  }

  if (deps.db) {
    const issuance = await countIssuanceQueue(deps.db);
    deadLetters.set({ queue: ISSUE_QUEUE }, issuance.dead);
    jobsFailed.set({ queue: ISSUE_QUEUE }, issuance.dead);
  }

  poolMax.set(sql.options.max);
  dbConnections.reset();
  const rows = await sql<{ state: string | null; n: number }[]>`
    select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
     where application_name = current_setting('application_name') group by 1`;
  for (const state of ['active', 'idle', 'idle in transaction'])
    dbConnections.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);

  const runs = deps.db ? await recordedRuns(deps.db) : undefined;
  const status = backupStatus(deps.backups, deps.now, runs);
  backupsEnabled.set(deps.backups.enabled ? 1 : 0);
  backupsKept.set(status.backups.length);
  // Unlabelled gauges are always exported: NaN (no comparison is true for it) says "none yet".
  backupAge.set(status.lastSuccessAgeSeconds ?? NaN);
  backupResult.set(status.lastResult === null ? NaN : Number(status.lastResult));
  verifyResult.set(status.lastVerification ? Number(status.lastVerification.ok) : NaN);
}
