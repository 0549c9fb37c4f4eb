/**
 * npm run bench:api — the app API (/api/v1) on the national-scale data set.
 *
 * Needs `npm run build` and `npm run seed:scale` first. Uses BENCH_DATABASE_URL, else
 * DATABASE_URL, else the embedded database in MADOGUCHI_DATA_DIR (MADOGUCHI_PG_PORT), started
 * here if it is not running. Links a sample of typical residents to a bench app client through
 * the services (authorization code + PKCE exchange, as POST /api/v1/token would), starts the
 * built app on that database and beside it the ceiling (bench/lib/api-ceiling.ts: node:http +
 * the same postgres.js pool + the same service calls, JSON out), and measures for both:
 *   (a) POST /api/v1/token grant_type=refresh_token — every request presents a refresh token
 *       never used before (they rotate): a pool of token families, each answer's new refresh
 *       token goes back into the pool (bench/lib/load-rotating.ts)
 *   (b) GET /api/v1/notices — first page of the inbox, with the unread count
 *   (c) GET /api/v1/notices/<id> — notice detail (broadcasts and targeted notices)
 *
 * The per-token rate limit (app/api/guard.server.ts, 20 requests/s per link with bursts of 60)
 * stays on: BENCH_RESIDENTS links share the load, so each link stays well under it.
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32), BENCH_RESIDENTS (512),
 * BENCH_FAMILIES_PER_LINK (2), BENCH_SCENARIOS (abc: which of (a), (b), (c) to load, e.g. `b` to
 * profile the list alone with BENCH_CPU_PROF). The app's CPU time per request is printed too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { openScriptDatabase } from '../scripts/lib/database.ts';
import {
  createAuthorizationCode,
  endLink,
  exchangeAuthorizationCode,
} from '../app/api/link.service.server.ts';
import { registerClient } from '../app/api/client.service.server.ts';
import { issueTokenPair } from '../app/api/tokens.server.ts';
import { cpuMeter, startApp } from './lib/app.ts';
import { type BenchRequest, runLoadRequests } from './lib/load-requests.ts';
import { runLoadRotating } from './lib/load-rotating.ts';
import { printResults, type LoadResult, type ScenarioPair, scenarioPair } from './lib/load.ts';
import { startCeilingProcess } from './lib/ceiling-process.ts';
import { visibleNotices } from './lib/scale-data.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const residentCount = Number(process.env.BENCH_RESIDENTS ?? 512);
const familiesPerLink = Number(process.env.BENCH_FAMILIES_PER_LINK ?? 2);
const scenarioLetters = process.env.BENCH_SCENARIOS ?? 'abc';
const GOAL_RPS = 2000;
const GOAL_P99_MS = 50;
/** Issue 15: the API at 0.8 of its ceiling, without leaving Remix resource routes. */
const GOAL_RATIO = 0.8;
const CLIENT_ID = 'bench-api';
const REDIRECT_URI = 'https://bench.example.jp/callback';

type ScaleMeta = { residents: number; heavyResidentIds: string[]; seededAt: string };
type Resident = { id: string; municipalityCode: string };
type Link = { id: string; clientId: string; residentId: string };

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const database = await openScriptDatabase();
const { db, url } = database;
// One root secret for this run, handed to the app and the ceiling alike.
const benchSecret = randomBytes(32).toString('base64url');

const cleanups: (() => Promise<unknown>)[] = [];
try {
  await main();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
  await database.close();
}

async function main() {
  const metaRow = await db
    .selectFrom('appMeta')
    .select('value')
    .where('key', '=', 'scale_seed')
    .executeTakeFirst();
  const meta = metaRow?.value as ScaleMeta | undefined;
  if (!meta) {
    console.error(
      'No scale data set in this database. Seed it first, e.g.\n' +
        '  MADOGUCHI_DATA_DIR=/tmp/madoguchi-scale-api MADOGUCHI_PG_PORT=55760 npm run seed:scale -- --residents 1000000\n' +
        'then run bench:api with the same MADOGUCHI_DATA_DIR/MADOGUCHI_PG_PORT (or BENCH_DATABASE_URL).',
    );
    process.exitCode = 1;
    return;
  }
  const residents = (await sql<{ n: number }>`select count(*)::int as n from resident`.execute(db))
    .rows[0]?.n;
  console.log(
    `data set (seeded ${meta.seededAt}): ${residents?.toLocaleString('en-US')} residents`,
  );
  const now = new Date();

  // ---- A bench client and one link per typical resident, through the services ---------------
  await registerClient(db, {
    id: CLIENT_ID,
    name: 'bench:api',
    redirectUris: [REDIRECT_URI],
    createdBy: null,
  });
  await db.updateTable('appClient').set({ disabledAt: null }).where('id', '=', CLIENT_ID).execute();
  const percent = Math.min(100, (400 * residentCount) / Math.max(1, residents ?? 1));
  const typical = (
    await sql<Resident>`
      select id, municipality_code
      from resident tablesample bernoulli (${sql.raw(percent.toFixed(4))}) repeatable (11)
      where id <> all(${meta.heavyResidentIds}::uuid[])
      order by id limit ${residentCount}`.execute(db)
  ).rows;
  const links: Link[] = [];
  const refreshPool: string[] = [];
  cleanups.push(async () => {
    for (const link of links) await endLink(db, link.id, 'app_unlinked');
  });
  const linkStarted = performance.now();
  for (const r of typical) {
    const verifier = randomBytes(32).toString('base64url');
    const code = await createAuthorizationCode(db, {
      clientId: CLIENT_ID,
      residentId: r.id,
      redirectUri: REDIRECT_URI,
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      deviceName: 'bench:api',
    });
    const exchange = await exchangeAuthorizationCode(db, {
      clientId: CLIENT_ID,
      code,
      redirectUri: REDIRECT_URI,
      codeVerifier: verifier,
    });
    if (exchange.outcome !== 'ok') throw new Error(`linking resident ${r.id} failed`);
    const link = { id: exchange.linkId, clientId: CLIENT_ID, residentId: r.id };
    links.push(link);
    refreshPool.push(exchange.pair.refreshToken);
    // More token families on the same link (as if the app had been re-installed and linked
    // again without a new consent): more distinct refresh tokens for the pool.
    for (let i = 1; i < familiesPerLink; i++)
      refreshPool.push((await issueTokenPair(db, link)).refreshToken);
  }
  console.log(
    `${links.length} residents linked to "${CLIENT_ID}" through the services, ` +
      `${refreshPool.length} refresh-token families (${round((performance.now() - linkStarted) / 1000, 1)} s)`,
  );

  // ---- Requests ----------------------------------------------------------------------------
  // Access tokens are issued just before each scenario (they live 10 minutes). They are opaque
  // and stored (decision 0017): each is issued with a token pair of its own.
  const accessTokens = new Map<string, string>();
  const renewAccessTokens = async () => {
    for (const link of links)
      accessTokens.set(link.id, (await issueTokenPair(db, link)).accessToken);
  };
  await renewAccessTokens();
  const authHeaders = (link: Link) => ({
    authorization: `Bearer ${accessTokens.get(link.id)}`,
    'accept-language': 'ja',
  });
  const listRequests = (): BenchRequest[] =>
    links.map((l) => ({ path: '/api/v1/notices', headers: authHeaders(l) }));
  // Detail: each resident opens its newest live targeted notice (if any) and one of the newest
  // broadcasts in its audience (first opens are recorded during the warm-up, as in bench:notices).
  const visible = await visibleNotices(db, typical, now);
  const linkOf = new Map(links.map((l) => [l.residentId, l]));
  const detailRequests = (): BenchRequest[] =>
    visible.flatMap((v) => {
      const link = linkOf.get(v.residentId);
      return link ? [{ path: `/api/v1/notices/${v.noticeId}`, headers: authHeaders(link) }] : [];
    });
  const toCeiling = (requests: BenchRequest[]) =>
    requests.map((r) => ({ ...r, path: r.path.replace(/^\/api\/v1/, '') }));

  // ---- Servers -----------------------------------------------------------------------------
  const app = await startApp({
    DATABASE_URL: url,
    MADOGUCHI_SECRET: benchSecret,
    MADOGUCHI_SEED_DEMO: 'false',
    MADOGUCHI_ROLE: 'web',
  });
  cleanups.push(() => app.stop());
  const ceiling = await startCeilingProcess('bench/lib/api-ceiling.ts', url, {
    MADOGUCHI_SECRET: benchSecret,
  });
  cleanups.push(() => ceiling.stop());
  await sanityCheck(
    app.origin,
    ceiling.origin,
    listRequests()[0],
    detailRequests()[0],
    refreshPool,
  );

  // ---- Load: app and ceiling one after the other, scenario by scenario ----------------------
  const loadBefore = load();
  const refresh = (origin: string, path: string) => ({
    origin,
    pool: refreshPool,
    build: (token: string) => ({
      method: 'POST' as const,
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'ja' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: CLIENT_ID,
        refresh_token: token,
      }).toString(),
    }),
    successor: (body: string) => {
      try {
        return (JSON.parse(body) as { refresh_token?: string }).refresh_token;
      } catch {
        return undefined;
      }
    },
    connections,
    seconds,
    warmupSeconds,
  });
  const pairs: ScenarioPair[] = [];
  const meters = () => ({ app: cpuMeter(app.pid), ceiling: cpuMeter(ceiling.pid) });
  const report = (r: LoadResult & { statuses: Record<string, number> }) => {
    if (Object.keys(r.statuses).length)
      console.warn(`${r.name}: non-2xx ${JSON.stringify(r.statuses)}`);
    return r;
  };
  if (scenarioLetters.includes('a')) {
    const name = '(a) token refresh';
    const cpu = meters();
    const appResult = report(
      await runLoadRotating({
        name: `app      ${name}`,
        ...refresh(app.origin, '/api/v1/token'),
        around: cpu.app.around,
      }),
    );
    const ceilingResult = report(
      await runLoadRotating({
        name: `ceiling  ${name}`,
        ...refresh(ceiling.origin, '/token'),
        around: cpu.ceiling.around,
      }),
    );
    pairs.push(scenarioPair(name, appResult, ceilingResult, cpu));
  }
  for (const [name, requests] of [
    ['(b) notice list', listRequests],
    ['(c) notice detail', detailRequests],
  ] as const) {
    if (!scenarioLetters.includes(name[1] ?? '')) continue;
    await renewAccessTokens();
    const cpu = meters();
    const appResult = report(
      await runLoadRequests({
        name: `app      ${name}`,
        origin: app.origin,
        requests: requests(),
        connections,
        seconds,
        warmupSeconds,
        around: cpu.app.around,
      }),
    );
    const ceilingResult = report(
      await runLoadRequests({
        name: `ceiling  ${name}`,
        origin: ceiling.origin,
        requests: toCeiling(requests()),
        connections,
        seconds,
        warmupSeconds,
        around: cpu.ceiling.around,
      }),
    );
    pairs.push(scenarioPair(name, appResult, ceilingResult, cpu));
  }
  printResults(
    'bench:api',
    pairs.flatMap((p) => [p.app, p.ceiling]),
    `${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s each, ${cpus().length} cores, ` +
      `one app process, load average before ${loadBefore}, after ${load()}`,
  );

  // ---- Summary -------------------------------------------------------------------------------
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\nsummary');
  console.table(
    pairs.map((p) => ({
      scenario: p.name,
      'app req/s': p.app.requestsPerSecond,
      'app p50/p95/p99 ms': `${p.app.p50} / ${p.app.p95} / ${p.app.p99}`,
      'CPU ms/req app / ceiling': `${p.cpuPerRequest} / ${p.ceilingCpuPerRequest}`,
      'ceiling req/s': p.ceiling.requestsPerSecond,
      'ceiling p50/p95/p99 ms': `${p.ceiling.p50} / ${p.ceiling.p95} / ${p.ceiling.p99}`,
      'app/ceiling': p.ceiling.requestsPerSecond
        ? `${round(p.app.requestsPerSecond / p.ceiling.requestsPerSecond)}`
        : '—',
      'errors+non2xx': p.app.errors + p.app.non2xx + p.ceiling.errors + p.ceiling.non2xx,
      'load (1 min)': p.load,
      goal: `≥ ${GOAL_RPS} req/s, p99 ≤ ${GOAL_P99_MS} ms, ≥ ${GOAL_RATIO} of ceiling`,
      result: verdict(
        p.app.requestsPerSecond >= GOAL_RPS &&
          p.app.p99 <= GOAL_P99_MS &&
          p.app.requestsPerSecond >= GOAL_RATIO * p.ceiling.requestsPerSecond,
      ),
    })),
  );
  const failures = pairs.reduce(
    (n, p) => n + p.app.errors + p.app.non2xx + p.ceiling.errors + p.ceiling.non2xx,
    0,
  );
  if (failures > 0) {
    console.error(`${failures} errors or non-2xx responses: the figures above are not valid`);
    process.exitCode = 1;
  }
}

/**
 * One request of each kind, checked by content: both servers answer, and answer the same. The
 * refresh check takes one token from the pool and puts its successors back.
 */
async function sanityCheck(
  appOrigin: string,
  ceilingOrigin: string,
  list: BenchRequest | undefined,
  detail: BenchRequest | undefined,
  pool: string[],
) {
  if (!list || !detail) throw new Error('no list or detail request');
  const get = async (origin: string, path: string, r: BenchRequest) => {
    const response = await fetch(`${origin}${path}`, { headers: r.headers });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`${origin}${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body) as Record<string, unknown>;
  };
  const ceilingPath = (path: string) => path.replace(/^\/api\/v1/, '');
  const ids = (body: Record<string, unknown>) =>
    (body.items as { id: string }[]).map((i) => i.id).join();
  const fromApp = await get(appOrigin, list.path, list);
  const fromCeiling = await get(ceilingOrigin, ceilingPath(list.path), list);
  if (ids(fromApp) !== ids(fromCeiling) || ids(fromApp) === '')
    throw new Error('notice list: app and ceiling list different notices');
  const appDetail = await get(appOrigin, detail.path, detail);
  const ceilingDetail = await get(ceilingOrigin, ceilingPath(detail.path), detail);
  if (appDetail.id !== ceilingDetail.id) throw new Error('notice detail: different notices');
  let token = pool.shift() ?? '';
  for (const [origin, path] of [
    [appOrigin, '/api/v1/token'],
    [ceilingOrigin, '/token'],
  ] as const) {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: CLIENT_ID,
        refresh_token: token,
      }),
    });
    const body = (await response.json()) as { refresh_token?: string };
    if (response.status !== 200 || !body.refresh_token)
      throw new Error(`${origin}${path} refresh answered ${response.status}`);
    token = body.refresh_token;
  }
  pool.push(token);
  console.log('sanity check: app and ceiling answer 200 and list the same notices');
}
