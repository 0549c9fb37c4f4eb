/**
 * Madoguchi's single entry point: `npm start` builds the app and runs this file on Node 24.
 * One process serves HTTP and runs the pg-boss workers (MADOGUCHI_ROLE splits them).
 */
import { existsSync, watch } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { broadcastDevReady } from '@remix-run/node';
import { startRuntime } from './app/platform/runtime.server.ts';
import { createHttpApp } from './app/platform/http.server.ts';

const BUILD_PATH = path.resolve('build/server/index.js');

const runtime = await startRuntime().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
const { env, log } = runtime;

let server: Server | undefined;
if (env.MADOGUCHI_ROLE !== 'worker') {
  if (!existsSync(BUILD_PATH)) {
    log.fatal(
      { path: BUILD_PATH },
      'no app build: run `npm run build` (npm start does it for you)',
    );
    await runtime.stop();
    process.exit(1);
  }
  const importBuild = async () =>
    (await import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)) as ServerBuild;
  let build = await importBuild();
  if (env.NODE_ENV === 'development') {
    // `npm run dev`: remix rebuilds into build/; pick the new build up and tell the dev server.
    watch(path.dirname(BUILD_PATH), { persistent: false }, async () => {
      build = await importBuild();
      await broadcastDevReady(build);
    });
    await broadcastDevReady(build);
  }
  const app = createHttpApp(runtime, () => build);
  server = app.listen(env.PORT, env.HOST ?? '::', () => {
    log.info(
      { url: `http://localhost:${env.PORT}`, role: env.MADOGUCHI_ROLE },
      'Madoguchi is listening',
    );
  });
  server.keepAliveTimeout = 65_000;
}

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, 'stopping');
  const force = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  if (server) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections?.();
  }
  await runtime.stop();
  log.info('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void shutdown(signal));
