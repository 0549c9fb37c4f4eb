/**
 * npm run bench:home — server rendering of the signed-out home page under load.
 * Builds nothing: run `npm run build` first (npm start and npm test do).
 */
import { cpus, loadavg } from 'node:os';
import { startApp } from './lib/app.ts';
import { printResults, runLoad } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

const app = await startApp();
const loadBefore = load();
try {
  const results = [
    await runLoad({ name: 'GET /ja/ (home, SSR)', url: `${app.origin}/ja/`, connections, seconds }),
    await runLoad({ name: 'GET /en/ (home, SSR)', url: `${app.origin}/en/`, connections, seconds }),
    await runLoad({
      name: 'GET /healthz (floor)',
      url: `${app.origin}/healthz`,
      connections,
      seconds,
    }),
  ];
  printResults(
    'bench:home',
    results,
    `${connections} connections, ${seconds} s each, ${cpus().length} cores, one app process, ` +
      `load average before ${loadBefore}, after ${load()}`,
  );
} finally {
  await app.stop();
}
