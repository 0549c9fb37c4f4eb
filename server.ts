/**
 * Madoguchi's single entry point: `npm start` builds the app and runs this file on Node 24.
 * One process serves HTTP and runs the pg-boss workers (MADOGUCHI_ROLE splits them).
 * MADOGUCHI_WEB_WORKERS=n (n > 1) serves HTTP from n processes on the same port (node:cluster):
 * this process starts the database, migrates and runs the pg-boss workers, and the n web
 * processes join its database with MADOGUCHI_ROLE=web (docs/decisions/0011-inbox-throughput.md).
 */
import cluster from 'node:cluster';
import { existsSync, watch } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { broadcastDevReady } from '@remix-run/node';
import { parseEnv, type Env } from './app/env.server.ts';
import { startRuntime } from './app/server/runtime.server.ts';
import { createHttpApp } from './app/server/http.server.ts';

const BUILD_PATH = path.resolve('build/server/index.js');

const fail = (error: unknown): never => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
};
// Read here only to decide whether to fork; startRuntime parses the same variables again.
const startEnv = ((): Env => {
  try {
    return parseEnv();
  } catch (error) {
    return fail(error instanceof Error ? error.message : error);
  }
})();
const webWorkers = startEnv.MADOGUCHI_WEB_WORKERS;
const forksWebWorkers = cluster.isPrimary && webWorkers > 1 && startEnv.MADOGUCHI_ROLE !== 'worker';

const runtime = await startRuntime().catch(fail);
const { env, log } = runtime;

let server: Server | undefined;
const workers = new Set<ReturnType<typeof cluster.fork>>();
let shuttingDown = false;
if (forksWebWorkers) {
  const workerEnv = {
    MADOGUCHI_ROLE: 'web',
    MADOGUCHI_WEB_WORKERS: '1',
    MADOGUCHI_SEED_DEMO: 'false',
    // The embedded server (if any) belongs to this process; the web processes only connect.
    DATABASE_URL: env.DATABASE_URL ?? runtime.embedded?.url ?? '',
  };
  // Each web process writes its own log file (two processes cannot rotate one file).
  const fork = (n: number) => {
    const worker = cluster.fork({ ...workerEnv, MADOGUCHI_LOG_NAME: `madoguchi-web${n}` });
    workers.add(worker);
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (shuttingDown) return;
      log.error({ pid: worker.process.pid, code, signal }, 'web process exited; starting another');
      setTimeout(() => fork(n), 1000).unref();
    });
  };
  for (let n = 1; n <= webWorkers; n++) fork(n);
  log.info({ webWorkers }, 'web processes started');
} else if (env.MADOGUCHI_ROLE !== 'worker') {
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
} else {
  log.info({ role: env.MADOGUCHI_ROLE }, 'Madoguchi is running its workers (no HTTP in this role)');
}

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
  // Web processes stop first (each closes its server and pool), the database last.
  await Promise.all(
    [...workers].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    ),
  );
  await runtime.stop(); // logs "stopped" and closes the log files
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void shutdown(signal));
