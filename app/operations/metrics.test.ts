import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import type { ServerBuild } from '@remix-run/node';
import { useTestDatabase } from '../../test/database.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createLogger } from '../platform/logger.server.ts';
import { registry } from '../platform/metrics.server.ts';
import { parseEnv } from '../env.server.ts';
import type { BackupSettings } from './backup-settings.ts';
import { collectOperationsMetrics, requestDurations, routeLabel } from './metrics.server.ts';

const database = useTestDatabase();
const SAMPLE_ID = '3f2a9c1e-0b7d-4c5e-8a9f-1b2c3d4e5f60';

/** The app's routes as the compiler reads them (app/routes), shaped like a server build's. */
function appRoutes(): ServerBuild['routes'] {
  const require = createRequire(import.meta.url);
  const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js') as {
    flatRoutes(
      dir: string,
      ignored: string[],
    ): Record<string, { id: string; parentId?: string; path?: string; index?: boolean }>;
  };
  const manifest = flatRoutes(resolve('app'), ['**/.*', '**/*.test.{ts,tsx}']);
  const routes: Record<string, unknown> = { root: { id: 'root', path: '' } };
  for (const r of Object.values(manifest))
    routes[r.id] = { ...r, parentId: r.parentId ?? 'root', module: {} };
  return routes as ServerBuild['routes'];
}

/** Prometheus text as [name, labels, value] samples. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

describe('the route label of a request', () => {
  const routes = appRoutes();

  it('is the route pattern, never the path: no ids, no language, no personal data', () => {
    expect(routeLabel(routes, `/ja/admin/targets/${SAMPLE_ID}`)).toBe(
      '/:lang/admin/targets/:targetId',
    );
    expect(routeLabel(routes, '/en/admin/operations')).toBe('/:lang/admin/operations');
    expect(routeLabel(routes, '/healthz')).toBe('/healthz');
    expect(routeLabel(routes, '/ja/admin/audit.csv')).toBe('/:lang/admin/audit.csv');
    const labels = new Set<string>();
    const pathOf = (id: string | undefined): string =>
      id ? `${pathOf(routes[id]?.parentId)}/${routes[id]?.path ?? ''}` : '';
    for (const r of Object.values(routes)) {
      const path = pathOf(r.id)
        .replace(/:lang\??/g, 'ja')
        .replace(/:[\w-]+\??/g, SAMPLE_ID)
        .replace(/\*$/, 'a/b')
        .replace(/\/+/g, '/');
      const label = routeLabel(routes, path);
      expect(label, path).not.toContain(SAMPLE_ID);
      expect(label, path).not.toMatch(/\/(ja|en)(\/|$)/);
      labels.add(label);
    }
    expect(labels.size).toBeGreaterThan(50);
  });

  it('groups static files, and knows the front’s own routes', () => {
    expect(routeLabel(routes, '/build/_shared/chunk-ABC123.js')).toBe('static');
    expect(routeLabel(routes, '/favicon.ico')).toBe('static');
    expect(routeLabel(routes, '/ja/no-such-file.png')).toBe('static');
    expect(routeLabel(routes, '/metrics')).toBe('/metrics');
    expect(routeLabel(undefined, '/ja/anything')).toBe('unmatched');
  });
});

describe('a scrape of the operations metrics', () => {
  let boss: PgBoss;
  let backups: BackupSettings;
  const now = new Date('2026-12-03T12:00:00Z');

  function writeBackup(id: string, finishedAt: string, ok: boolean | null) {
    const dir = join(backups.dir, 'base', id);
    mkdirSync(dir, { recursive: true });
    const manifest = {
      id,
      finishedAt,
      encrypted: false,
      files: [{ name: 'base.tar.zst', size: 5 }],
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    if (ok !== null)
      writeFileSync(
        join(dir, 'verification.json'),
        JSON.stringify({ at: finishedAt, ok, detail: ok ? '3 files match' : 'checksum differs' }),
      );
  }

  beforeAll(async () => {
    boss = await startBoss(database.connection.sql, createLogger('silent'), { supervise: false });
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-metrics-'));
    backups = parseEnv({ MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI_BACKUP: 'on' }).backups;
  });
  afterAll(async () => {
    await boss.stop({ graceful: false });
  });

  async function scrape() {
    await collectOperationsMetrics({ sql: database.connection.sql, boss, backups, now });
    return samples(await registry.metrics());
  }

  it('tells pool use, event-loop lag and no backup before the first', async () => {
    const found = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) =>
      found.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    expect(value('madoguchi_db_pool_max_connections')).toBe(5);
    expect(value('madoguchi_db_connections', { state: 'active' })).toBeGreaterThanOrEqual(1);
    expect(value('madoguchi_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('madoguchi_backup_enabled')).toBe(1);
    expect(value('madoguchi_backups_kept')).toBe(0);
    expect(value('madoguchi_backup_last_success_age_seconds')).toBeNaN();
    expect(value('madoguchi_backup_last_result')).toBeNaN();
  });

  it('tells the last good backup’s age, and a failed newest backup as 0', async () => {
    writeBackup('20261202T180000Z', '2026-12-02T18:00:00.000Z', true);
    let found = await scrape();
    const value = (name: string) => found.find((s) => s.name === name)?.value;
    expect(value('madoguchi_backup_last_success_age_seconds')).toBe(18 * 3600);
    expect(value('madoguchi_backup_last_result')).toBe(1);
    expect(value('madoguchi_backup_last_verify_result')).toBe(1);

    writeBackup('20261203T100000Z', '2026-12-03T10:00:00.000Z', false);
    found = await scrape();
    expect(value('madoguchi_backup_last_success_age_seconds')).toBe(18 * 3600);
    expect(value('madoguchi_backup_last_result')).toBe(0);
    expect(value('madoguchi_backup_last_verify_result')).toBe(0);
    expect(value('madoguchi_backups_kept')).toBe(2);
  });

  it('counts request durations by pattern and status class, with no raw path', async () => {
    const observe = requestDurations(() => appRoutes());
    const finish = (path: string, method: string, status: number) => {
      const listeners: (() => void)[] = [];
      const res = { statusCode: status, on: (_: string, f: () => void) => listeners.push(f) };
      observe({ path, method } as never, res as never, () => {});
      for (const f of listeners) f();
    };
    finish(`/ja/admin/targets/${SAMPLE_ID}`, 'GET', 200);
    finish(`/en/admin/targets/${SAMPLE_ID}`, 'GET', 503);
    finish('/build/entry.client-X.js', 'GET', 200);
    finish('/ja', 'PROPFIND', 405);
    const found = (await scrape()).filter((s) =>
      s.name.startsWith('madoguchi_http_request_duration_seconds'),
    );
    const counts = found.filter((s) => s.name.endsWith('_count'));
    expect(counts.map((s) => s.labels)).toEqual(
      expect.arrayContaining([
        { route: '/:lang/admin/targets/:targetId', method: 'GET', status_class: '2xx' },
        { route: '/:lang/admin/targets/:targetId', method: 'GET', status_class: '5xx' },
        { route: 'static', method: 'GET', status_class: '2xx' },
        { route: '/:lang', method: 'OTHER', status_class: '4xx' },
      ]),
    );
    const buckets = found.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le);
    expect(buckets).toContain('1');
    for (const s of found) expect(JSON.stringify(s.labels)).not.toContain(SAMPLE_ID);
  });
});
