import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { ServerBuild } from '@remix-run/node';
import type { Db } from '../../db/connection.ts';
import type { useTestDatabase } from '../database.ts';
import { routeContext } from './routes.ts';
import { createHttpApp } from '../../app/server/http.server.ts';
import type { Runtime } from '../../app/server/runtime.server.ts';

/**
 * Reading what the maintenance schedule, the browser-error endpoint and the page-view counter
 * stored (tests read, never write), and serving an express app on a free port.
 */
export function maintenanceWindowsBy(db: Db, accountId: string) {
  return db
    .selectFrom('maintenanceWindow')
    .select(['id', 'startsAt', 'endsAt', 'messageJa', 'messageEn', 'cancelledAt', 'cancelledBy'])
    .where('createdBy', '=', accountId)
    .orderBy('createdAt')
    .execute();
}

export function browserErrorsOn(db: Db, route: string) {
  return db
    .selectFrom('browserErrorDay')
    .select(['day', 'kind', 'message', 'count', 'examples'])
    .where('route', '=', route)
    .orderBy('message')
    .execute();
}

export async function pageViewsOf(db: Db, route: string): Promise<number> {
  const row = await db
    .selectFrom('pageViewDay')
    .select((eb) => eb.fn.sum<string>('views').as('views'))
    .where('route', '=', route)
    .executeTakeFirst();
  return Number(row?.views ?? 0);
}

/** The app on 127.0.0.1 and a free port; close() when done. */
export async function serve(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The whole HTTP front (createHttpApp) on the production build (`npm run build` first) and the
 * test's database, served on a free port for the file: `origin`, and `get(path, headers)`.
 */
export function useServedBuild(database: ReturnType<typeof useTestDatabase>) {
  const served = {} as {
    origin: string;
    routes: ServerBuild['routes'];
    get(path: string, headers?: Record<string, string>): Promise<globalThis.Response>;
  };
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    const file = path.resolve('build/server/index.js');
    if (!existsSync(file)) throw new Error('this test serves the app build: run `npm run build`');
    const build = (await import(pathToFileURL(file).href)) as ServerBuild;
    const context = routeContext(database.connection.db);
    const runtime: Runtime = {
      env: context.env,
      log: context.log,
      secrets: context.secrets,
      connection: database.connection,
      boss: context.boss,
      readiness: context.readiness,
      stop: async () => undefined,
    };
    server = await serve(createHttpApp(runtime, () => build));
    served.origin = server.origin;
    served.routes = build.routes;
    served.get = (p, headers = {}) =>
      fetch(`${server!.origin}${p}`, { headers, redirect: 'manual' });
  });
  afterAll(() => server?.close());
  return served;
}
