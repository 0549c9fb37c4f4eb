import { afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { PgBoss } from 'pg-boss';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from '../../db/embedded.ts';
import { startBoss } from '../../jobs/boss.ts';
import { createLogger } from '../../app/platform/logger.server.ts';
import { freePort } from '../../bench/lib/app.ts';
import { spawnApp, tempFolder, type AppProcess } from './app-process.ts';

/**
 * What a fault test starts (decision 0064) — app processes, a PostgreSQL of its own, pg-boss,
 * clients, folders — all stopped and removed after the file's tests, whatever happened.
 */
export function useFaultRig() {
  const apps: AppProcess[] = [];
  const clients: postgres.Sql[] = [];
  const bosses: PgBoss[] = [];
  const folders: string[] = [];
  let cluster: EmbeddedPostgres | undefined;
  afterAll(async () => {
    for (const app of apps) app.child.kill('SIGKILL');
    await Promise.all(apps.map((app) => app.exited));
    for (const boss of bosses) await boss.stop({ graceful: false }).catch(() => {});
    for (const client of clients) await client.end({ timeout: 1 }).catch(() => {});
    await cluster?.stop().catch(() => {});
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });
  const rig = {
    folder(name: string) {
      const dir = tempFolder(name);
      folders.push(dir);
      return dir;
    },
    /** A PostgreSQL of the test's own (stopped and started again with `restartable`). */
    async cluster(name: string, settings: string[] = []) {
      const options: EmbeddedPostgresOptions = {
        dir: join(rig.folder(name), 'postgres'),
        port: await freePort(),
        password: `${name}-test`,
        database: 'madoguchi',
        fast: true,
        settings,
      };
      cluster = await startEmbeddedPostgres(options);
      const url = cluster.url;
      return {
        url,
        stop: () => cluster!.stop(),
        async start() {
          cluster = await startEmbeddedPostgres(options);
        },
      };
    },
    async app(env: Record<string, string>, options?: Parameters<typeof spawnApp>[1]) {
      const app = await spawnApp({ MADOGUCHI_DATA_DIR: rig.folder('app'), ...env }, options);
      apps.push(app);
      return app;
    },
    client(url: string, max = 2) {
      const client = postgres(url, { max, onnotice: () => {} });
      clients.push(client);
      return client;
    },
    async boss(sql: postgres.Sql) {
      const boss = await startBoss(sql, createLogger('silent'), { supervise: false });
      bosses.push(boss);
      return boss;
    },
  };
  return rig;
}
