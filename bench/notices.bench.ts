/**
 * npm run bench:notices — the resident notice pages on the national-scale data set.
 *
 * Needs `npm run build` and `npm run seed:scale` first. Uses BENCH_DATABASE_URL, else
 * DATABASE_URL, else the embedded database in MADOGUCHI_DATA_DIR (MADOGUCHI_PG_PORT), started
 * here if it is not running. Starts the built app on that database, and beside it the ceiling
 * (bench/lib/ceiling.ts: node:http + the same postgres.js pool + the same SQL, JSON out), and
 * measures for both, with one signed-in session per benchmark resident:
 *   (a) GET /ja/notices — first page of the inbox of typical residents
 *   (b) GET /ja/notices?after=<cursor> — page 1,000 of the inbox of the heavy residents
 *   (c) GET /ja/notices/<id> — notice detail (broadcasts and targeted notices)
 * then EXPLAIN (ANALYZE, BUFFERS) of the inbox and unread-count queries, and the time of
 * publishNotice() for a broadcast to all residents.
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32), BENCH_RESIDENTS (256),
 * BENCH_DEEP_PAGE (1000), BENCH_PUBLISH_RUNS (20), BENCH_PLANS=full prints whole plans,
 * BENCH_SCENARIOS (abc: which of (a), (b), (c) to load, e.g. `a` to profile the inbox alone).
 * The app's resident set size is printed when it has started and after each scenario (the
 * memory the issue wants flat under load; BENCH_SECONDS=600 for a ten-minute run, which also
 * samples it once a minute; BENCH_CEILING_SECONDS=10 keeps the ceiling's runs short).
 * MADOGUCHI_WEB_WORKERS (1) is passed to the app: its number of web processes.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CamelCasePlugin, Kysely, sql, type CompiledQuery } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import { connect } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import { openScriptDatabase } from '../scripts/lib/database.ts';
import { createSession, SESSION_COOKIE } from '../app/identity/session.server.ts';
import {
  countUnread,
  findInboxPage,
  findInboxPageWithUnread,
  type InboxQuery,
} from '../app/notices/notice.repository.server.ts';
import { INBOX_PAGE_SIZE, publishNotice } from '../app/notices/notice.service.server.ts';
import { encodeCursor, type InboxCursor } from '../app/notices/notice.ts';
import { cpuMeter, rssMb, startApp, type RunningApp } from './lib/app.ts';
import { type BenchRequest, runLoadRequests } from './lib/load-requests.ts';
import { printResults, type ScenarioPair, scenarioPair } from './lib/load.ts';
import { startCeilingProcess } from './lib/ceiling-process.ts';
import { visibleNotices } from './lib/scale-data.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** The ceiling's memory is not what a long run watches: BENCH_CEILING_SECONDS keeps its runs short. */
const ceilingSeconds = Number(process.env.BENCH_CEILING_SECONDS ?? seconds);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const residentCount = Number(process.env.BENCH_RESIDENTS ?? 256);
const deepPage = Number(process.env.BENCH_DEEP_PAGE ?? 1000);
const publishRuns = Number(process.env.BENCH_PUBLISH_RUNS ?? 20);
const scenarioLetters = process.env.BENCH_SCENARIOS || 'abc';
// Issue 15's page goals: each page at ≥ 1,000 pages/s with p99 ≤ 100 ms, ≥ 0.45 of its ceiling.
const GOAL_RPS = 1000;
const GOAL_P99_MS = 100;
const GOAL_RATIO = 0.45;
const GOAL_PUBLISH_MS = 50;

type ScaleMeta = { residents: number; heavyResidentIds: string[]; seededAt: string };
type Resident = { id: string; municipalityCode: string; name: string };

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const database = await openScriptDatabase();
const { db, url } = database;

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
  if (!meta || meta.heavyResidentIds.length === 0) {
    console.error(
      'No scale data set in this database. Seed it first, e.g.\n' +
        '  MADOGUCHI_DATA_DIR=/tmp/madoguchi-scale MADOGUCHI_PG_PORT=55440 npm run seed:scale -- --residents 1000000\n' +
        'then run bench:notices with the same MADOGUCHI_DATA_DIR/MADOGUCHI_PG_PORT (or BENCH_DATABASE_URL).',
    );
    process.exitCode = 1;
    return;
  }
  const counts = (
    await sql<{ residents: number; notices: number; recipients: number; reads: number }>`
      select (select count(*) from resident)::int as residents,
             (select count(*) from notice)::int as notices,
             (select reltuples::bigint from pg_class where relname = 'notice_recipient') as recipients,
             (select reltuples::bigint from pg_class where relname = 'notice_read') as reads`.execute(
      db,
    )
  ).rows[0];
  console.log(
    `data set (seeded ${meta.seededAt}): ${counts?.residents.toLocaleString('en-US')} residents, ` +
      `${counts?.notices.toLocaleString('en-US')} notices, ~${Number(counts?.recipients).toLocaleString('en-US')} recipient rows, ` +
      `~${Number(counts?.reads).toLocaleString('en-US')} read rows`,
  );
  const now = new Date();

  // ---- Residents and their sessions -------------------------------------------------------
  // A repeatable random sample (the same residents run after run), ~4× what is needed.
  const percent = Math.min(100, (400 * residentCount) / Math.max(1, counts?.residents ?? 1));
  const typical = (
    await sql<Resident>`
      select id, municipality_code, name
      from resident tablesample bernoulli (${sql.raw(percent.toFixed(4))}) repeatable (7)
      where id <> all(${meta.heavyResidentIds}::uuid[])
      order by id limit ${residentCount}`.execute(db)
  ).rows;
  const heavy = (
    await sql<Resident>`
      select id, municipality_code, name from resident
      where id = any(${meta.heavyResidentIds}::uuid[]) order by id`.execute(db)
  ).rows;
  const sessionIds: string[] = [];
  cleanups.push(() =>
    db
      .updateTable('session')
      .set({ revokedAt: new Date() })
      .where('id', 'in', sessionIds.length ? sessionIds : ['00000000-0000-0000-0000-000000000000'])
      .execute(),
  );
  const cookieFor = async (residents: Resident[], perResident: number) => {
    await db
      .insertInto('account')
      .values(residents.map((r) => ({ kind: 'resident', residentId: r.id, displayName: r.name })))
      .onConflict((oc) => oc.column('residentId').doNothing())
      .execute();
    const accounts = await db
      .selectFrom('account')
      .select(['id', 'residentId'])
      .where(
        'residentId',
        'in',
        residents.map((r) => r.id),
      )
      .execute();
    const byResident = new Map(accounts.map((a) => [a.residentId, a.id]));
    const cookies = new Map<string, string[]>();
    for (const r of residents) {
      const accountId = byResident.get(r.id);
      if (!accountId) throw new Error(`no account for resident ${r.id}`);
      for (let i = 0; i < perResident; i++) {
        const s = await createSession(db, {
          accountId,
          kind: 'resident',
          ip: '127.0.0.1',
          userAgent: 'bench:notices',
        });
        sessionIds.push(s.id);
        cookies.set(r.id, [...(cookies.get(r.id) ?? []), `${SESSION_COOKIE}=${s.token}`]);
      }
    }
    return cookies;
  };
  const typicalCookies = await cookieFor(typical, 1);
  const heavyCookies = await cookieFor(heavy, Math.max(1, Math.ceil(connections / heavy.length)));
  console.log(
    `${typical.length} typical residents and ${heavy.length} heavy residents signed in (${sessionIds.length} sessions)`,
  );

  // ---- A real cursor for page `deepPage` of each heavy inbox, by walking it with keyset SQL --
  const deepCursors = new Map<string, InboxCursor>();
  const walkStarted = performance.now();
  for (const r of heavy) {
    let cursor: InboxCursor | null = null;
    const seen = new Set<string>();
    for (let page = 1; page < deepPage; page++) {
      const rows = await findInboxPage(db, inboxQuery(r, cursor, now));
      const last = rows.slice(0, INBOX_PAGE_SIZE).at(-1);
      if (rows.length <= INBOX_PAGE_SIZE || !last)
        throw new Error(`the inbox of heavy resident ${r.id} ends at page ${page}: re-seed`);
      for (const row of rows.slice(0, INBOX_PAGE_SIZE)) seen.add(row.id);
      cursor = { publishAt: last.publishAt, id: last.id };
    }
    if (seen.size !== (deepPage - 1) * INBOX_PAGE_SIZE)
      throw new Error(
        `keyset walk returned ${seen.size} distinct notices, not ${(deepPage - 1) * INBOX_PAGE_SIZE}`,
      );
    if (cursor) deepCursors.set(r.id, cursor);
  }
  console.log(
    `walked ${heavy.length} heavy inboxes to page ${deepPage} (${heavy.length * (deepPage - 1)} keyset queries, ` +
      `${round((performance.now() - walkStarted) / (heavy.length * (deepPage - 1)), 3)} ms each on average)`,
  );

  // ---- Requests ------------------------------------------------------------------------------
  const headers = (cookie: string) => ({ cookie, 'accept-language': 'ja' });
  const firstPage: BenchRequest[] = typical.map((r) => ({
    path: '/ja/notices',
    headers: headers(typicalCookies.get(r.id)?.[0] ?? ''),
  }));
  const deep: BenchRequest[] = heavy.flatMap((r) =>
    (heavyCookies.get(r.id) ?? []).map((cookie) => {
      const c = deepCursors.get(r.id);
      return { path: `/ja/notices?after=${c ? encodeCursor(c) : ''}`, headers: headers(cookie) };
    }),
  );
  // Detail: each typical resident opens its newest live targeted notice (if any) and one of the
  // newest broadcasts in its audience.
  const visible = await visibleNotices(db, typical, now);
  const detail: BenchRequest[] = visible.map((v) => ({
    path: `/ja/notices/${v.noticeId}`,
    headers: headers(typicalCookies.get(v.residentId)?.[0] ?? ''),
  }));
  const toCeiling = (requests: BenchRequest[]) =>
    requests.map((r) => ({ ...r, path: r.path.replace(/^\/ja/, '') }));

  // ---- Servers ------------------------------------------------------------------------------
  const app: RunningApp = await startApp({ DATABASE_URL: url, MADOGUCHI_SEED_DEMO: 'false' });
  cleanups.push(() => app.stop());
  const ceiling = await startCeilingProcess('bench/lib/ceiling.ts', url);
  cleanups.push(() => ceiling.stop());
  await sanityCheck(app.origin, ceiling.origin, firstPage, deep, detail);
  const rss: { when: string; mb: number | null; heap?: number | null }[] = [
    { when: 'started (sanity check done)', mb: rssMb(app.pid) },
  ];

  // ---- Load: app and ceiling one after the other, scenario by scenario ------------------------
  const loadBefore = load();
  const scenarios = (
    [
      ['(a) inbox, first page', firstPage],
      [`(b) inbox, page ${deepPage}`, deep],
      ['(c) notice detail', detail],
    ] as [string, BenchRequest[]][]
  ).filter(([name]) => scenarioLetters.includes(name[1] ?? ''));
  const pairs: ScenarioPair[] = [];
  for (const [name, requests] of scenarios) {
    const cpu = { app: cpuMeter(app.pid), ceiling: cpuMeter(ceiling.pid) };
    // On a long run, the app's memory once a minute too: flat or growing shows here.
    let sampler: ReturnType<typeof setInterval> | undefined;
    const started = performance.now();
    const appResult = await runLoadRequests({
      name: `app      ${name}`,
      origin: app.origin,
      requests,
      connections,
      seconds,
      warmupSeconds,
      around: {
        before: () => {
          cpu.app.around.before();
          if (seconds >= 120)
            sampler = setInterval(() => {
              const minute = Math.round((performance.now() - started) / 60_000);
              const mb = rssMb(app.pid);
              void heapUsedMb(app.origin).then((heap) =>
                rss.push({ when: `${name} at ${minute} min`, mb, heap }),
              );
            }, 60_000);
        },
        after: () => {
          clearInterval(sampler);
          cpu.app.around.after();
          // Read at the end of the app's own run, before the ceiling's run leaves it idle.
          rss.push({ when: `after ${name}`, mb: rssMb(app.pid) });
        },
      },
    });
    const ceilingResult = await runLoadRequests({
      name: `ceiling  ${name}`,
      origin: ceiling.origin,
      requests: toCeiling(requests),
      connections,
      seconds: ceilingSeconds,
      warmupSeconds,
      around: cpu.ceiling.around,
    });
    for (const r of [appResult, ceilingResult])
      if (Object.keys(r.statuses).length)
        console.warn(`${r.name}: non-2xx ${JSON.stringify(r.statuses)}`);
    pairs.push(scenarioPair(name, appResult, ceilingResult, cpu));
  }
  // Diagnostic: the deep page without the unread count, on the ceiling.
  const pageOnly = !scenarioLetters.includes('b')
    ? []
    : await runLoadRequests({
        name: `ceiling  (b) page ${deepPage}, page query only (no unread count)`,
        origin: ceiling.origin,
        requests: toCeiling(deep).map((r) => ({
          ...r,
          path: r.path.replace('/notices', '/inbox-page'),
        })),
        connections,
        seconds,
        warmupSeconds,
      }).then((r) => [r]);
  printResults(
    'bench:notices',
    [...pairs.flatMap((p) => [p.app, p.ceiling]), ...pageOnly],
    `${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s each, ${cpus().length} cores, ` +
      `${Number(process.env.MADOGUCHI_WEB_WORKERS || 1)} app web process(es), ` +
      `load average before ${loadBefore}, after ${load()}`,
  );

  console.log(
    `\napp resident set size (MB; on long runs also the V8 heap in use): ` +
      rss
        .map(
          (r) =>
            `${r.when}: ${r.mb ?? '?'}${r.heap === undefined ? '' : ` (heap ${r.heap ?? '?'})`}`,
        )
        .join(' · '),
  );

  // ---- Plans ------------------------------------------------------------------------------------
  const someone = typical[0];
  const heavyOne = heavy[0];
  if (!someone || !heavyOne) throw new Error('no benchmark residents');
  await explainInbox('typical resident, first page', inboxQuery(someone, null, now));
  await explainInbox(
    `heavy resident, page ${deepPage}`,
    inboxQuery(heavyOne, deepCursors.get(heavyOne.id) ?? null, now),
  );
  await explainPageWithUnread('typical resident, first page', inboxQuery(someone, null, now));
  await explainPageWithUnread(
    `heavy resident, page ${deepPage}`,
    inboxQuery(heavyOne, deepCursors.get(heavyOne.id) ?? null, now),
  );
  await explainUnread('typical resident', someone, now);
  await explainUnread('heavy resident', heavyOne, now);

  // ---- Publishing a broadcast to everyone ------------------------------------------------------
  const published: string[] = [];
  cleanups.push(() =>
    published.length
      ? db.deleteFrom('notice').where('id', 'in', published).execute()
      : Promise.resolve(),
  );
  const publishTimes: number[] = [];
  for (let i = -2; i < publishRuns; i++) {
    const t = performance.now();
    const result = await publishNotice(db, {
      audience: { type: 'all' },
      sender: 'operator',
      titleJa: `ベンチマーク用のお知らせ ${i}`,
      bodyJa: 'このお知らせは計測のために作られ、すぐに削除されます。',
      titleEn: `Benchmark notice ${i}`,
      bodyEn: 'Created for a measurement and deleted at once.',
      publishAt: new Date(),
      expiresAt: null,
      createdBy: null,
    });
    const ms = performance.now() - t;
    published.push(result.id);
    if (i >= 0) publishTimes.push(ms); // two warm-up runs are not counted
  }
  await db.deleteFrom('notice').where('id', 'in', published).execute();
  published.length = 0;
  publishTimes.sort((a, b) => a - b);
  const publish = {
    p50: round(percentile(publishTimes, 50)),
    p95: round(percentile(publishTimes, 95)),
    max: round(publishTimes.at(-1) ?? NaN),
  };
  console.log(
    `\npublishNotice(audience: all) to ${counts?.residents.toLocaleString('en-US')} residents, ${publishRuns} runs: ` +
      `p50 ${publish.p50} ms, p95 ${publish.p95} ms, max ${publish.max} ms (one notice row, no recipient rows)`,
  );

  // ---- Summary ---------------------------------------------------------------------------------
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\nsummary');
  console.table([
    ...pairs.map((p) => {
      const ratio = p.ceiling.requestsPerSecond
        ? p.app.requestsPerSecond / p.ceiling.requestsPerSecond
        : 0;
      return {
        scenario: p.name,
        'app req/s': p.app.requestsPerSecond,
        'app p50/p95/p99 ms': `${p.app.p50} / ${p.app.p95} / ${p.app.p99}`,
        'CPU ms/req app / ceiling': `${p.cpuPerRequest} / ${p.ceilingCpuPerRequest}`,
        'ceiling req/s': p.ceiling.requestsPerSecond,
        'ceiling p50/p95/p99 ms': `${p.ceiling.p50} / ${p.ceiling.p95} / ${p.ceiling.p99}`,
        'app/ceiling': p.ceiling.requestsPerSecond ? `${round(ratio)}` : '—',
        'errors+non2xx': p.app.errors + p.app.non2xx + p.ceiling.errors + p.ceiling.non2xx,
        'load (1 min)': p.load,
        goal: `≥ ${GOAL_RPS} pages/s, p99 ≤ ${GOAL_P99_MS} ms, ≥ ${GOAL_RATIO} of ceiling`,
        result: verdict(
          p.app.requestsPerSecond >= GOAL_RPS && p.app.p99 <= GOAL_P99_MS && ratio >= GOAL_RATIO,
        ),
      };
    }),
    {
      scenario: 'publish a broadcast to all',
      'app req/s': '—',
      'app p50/p95/p99 ms': `${publish.p50} / ${publish.p95} / —`,
      'CPU ms/req app / ceiling': '—',
      'ceiling req/s': '—',
      'ceiling p50/p95/p99 ms': '—',
      'app/ceiling': '—',
      'errors+non2xx': 0,
      'load (1 min)': load().split(' ')[0] ?? '',
      goal: `p95 ≤ ${GOAL_PUBLISH_MS} ms`,
      result: verdict(publish.p95 <= GOAL_PUBLISH_MS),
    },
  ]);
  const failures = pairs.reduce(
    (n, p) => n + p.app.errors + p.app.non2xx + p.ceiling.errors + p.ceiling.non2xx,
    0,
  );
  if (failures > 0) {
    console.error(`${failures} errors or non-2xx responses: the figures above are not valid`);
    process.exitCode = 1;
  }
}

function inboxQuery(r: Resident, cursor: InboxCursor | null, now: Date): InboxQuery {
  return {
    residentId: r.id,
    municipalityCode: r.municipalityCode,
    now,
    unreadOnly: false,
    sender: null,
    search: null,
    cursor,
    limit: INBOX_PAGE_SIZE,
  };
}

/** Runs `fn` on a Kysely that records the statements it sends, then EXPLAINs the last one. */
async function explainCaptured(
  label: string,
  fn: (capturing: Kysely<Database>) => Promise<unknown>,
) {
  const connection = connect(url, { max: 1, applicationName: 'bench-explain' });
  let captured: CompiledQuery | undefined;
  const capturing = new Kysely<Database>({
    dialect: new PostgresJSDialect({ postgres: connection.sql }),
    plugins: [new CamelCasePlugin()],
    log: (event) => {
      if (event.level === 'query') captured = event.query;
    },
  });
  try {
    await fn(capturing);
    if (!captured) throw new Error('no statement captured');
    const plan = await connection.sql.unsafe<{ 'QUERY PLAN': string }[]>(
      `explain (analyze, buffers) ${captured.sql}`,
      captured.parameters as never[],
    );
    const lines = plan.map((row) => row['QUERY PLAN']);
    const execution = lines.find((l) => l.startsWith('Execution Time')) ?? '';
    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS) ${label}: ${execution.replace('Execution Time: ', '')}`,
    );
    const shown =
      process.env.BENCH_PLANS === 'full'
        ? lines
        : lines.filter((l) => /Scan|Limit|Sort|Join|Nested Loop|Anti|Aggregate/.test(l));
    for (const line of shown) console.log(`  ${line}`);
    const bad = lines.filter((l) =>
      /Seq Scan on notice_(recipient|read)|Seq Scan on resident/.test(l),
    );
    if (bad.length)
      console.warn(`  WARNING: sequential scan of a large table:\n  ${bad.join('\n  ')}`);
  } finally {
    await capturing.destroy();
  }
}

async function explainInbox(label: string, q: InboxQuery) {
  await explainCaptured(`inbox query, ${label}`, (k) => findInboxPage(k, q));
}

/** What an inbox page runs: the page, the municipality and the stored count in one statement. */
async function explainPageWithUnread(label: string, q: InboxQuery) {
  await explainCaptured(`page + stored unread count, ${label}`, (k) =>
    findInboxPageWithUnread(k, q),
  );
}

/** The recount a page runs when the stored count is stale (it also stores the new count). */
async function explainUnread(label: string, r: Resident, now: Date) {
  await explainCaptured(`unread recount (stale stored count), ${label}`, (k) =>
    countUnread(k, r.id, r.municipalityCode, now),
  );
}

/** One request of each kind, checked by content: both servers answer, and answer the same. */
async function sanityCheck(
  appOrigin: string,
  ceilingOrigin: string,
  firstPage: BenchRequest[],
  deep: BenchRequest[],
  detail: BenchRequest[],
) {
  const get = async (origin: string, r: BenchRequest) => {
    const response = await fetch(`${origin}${r.path}`, { headers: r.headers, redirect: 'manual' });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`${origin}${r.path} answered ${response.status}: ${body.slice(0, 300)}`);
    return body;
  };
  const ids = (html: string) =>
    [...html.matchAll(/\/ja\/notices\/([0-9a-f-]{36})/g)].map((m) => m[1]);
  for (const [label, r] of [
    ['first page', firstPage[0]],
    ['deep page', deep[0]],
  ] as const) {
    if (!r) throw new Error(`no ${label} request`);
    const html = await get(appOrigin, r);
    const json = JSON.parse(await get(ceilingOrigin, { ...r, path: r.path.replace(/^\/ja/, '') }));
    const fromApp = ids(html);
    const fromCeiling = (json.items as { id: string }[]).map((i) => i.id);
    if (fromApp.join() !== fromCeiling.join() || fromApp.length === 0)
      throw new Error(`${label}: app and ceiling list different notices`);
    if (label === 'deep page' && fromApp.length !== INBOX_PAGE_SIZE)
      throw new Error(`deep page has ${fromApp.length} notices, not ${INBOX_PAGE_SIZE}`);
  }
  const d = detail[0];
  if (!d) throw new Error('no detail request');
  if (!(await get(appOrigin, d)).includes('notice-detail'))
    throw new Error('detail page without a notice');
  await get(ceilingOrigin, { ...d, path: d.path.replace(/^\/ja/, '') });
  console.log('sanity check: app and ceiling answer 200 and list the same notices');
}

/** The app's V8 heap in use (MB), from its own /metrics (loopback may read it), or null. */
async function heapUsedMb(origin: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${origin}/metrics`)).text();
    const bytes = /^madoguchi_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
    return bytes ? Math.round(Number(bytes) / 104_857.6) / 10 : null;
  } catch {
    return null;
  }
}
