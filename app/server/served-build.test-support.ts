/**
 * Test support that needs the composition root (app/server), so it lives beside it: only
 * app/server may import app/server (test/layers.test.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { ServerBuild } from '@remix-run/node';
import type { useTestDatabase } from '../../test/database.ts';
import { routeContext } from '../../test/support/routes.ts';
import { serve } from '../../test/support/maintenance.ts';
import { createHttpApp } from './http.server.ts';
import type { Runtime } from './runtime.server.ts';

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
