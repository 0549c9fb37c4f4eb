/**
 * npm run bench:weight (alias bench:bytes) — what a resident's browser downloads for the home
 * page, the inbox, a notice, the to-dos and the booking calendar, beside the goals of issue 15
 * (≤ 100 KB of JavaScript gzipped per page, framework included; the inbox's HTML ≤ 30 KB
 * gzipped): the JavaScript each page loads (modulepreload links, script tags, the inline entry's imports
 * and every static import of those, followed to the end), and the translations it carries,
 * gzipped (node:zlib, default level), as the browser receives them.
 *
 * Builds nothing: run `npm run build` first. Starts the built app on a fresh embedded
 * PostgreSQL (demo data seeded), signs in a demo resident with a session made in the
 * database, and reads the pages as that resident; for the booking calendar it makes a pickup
 * target with a letter, a counter and a slot (as the booking e2e specs do) and signs in to the
 * booking site with the letter's reservation ID and password. Then every other resident page
 * (decision 0070's addendum): the booking site's sign-in, a text page and the signed-in
 * pages, first access, sign-in, /my/*, insurance and the app's consent page (for a client
 * registered here); a page that does not answer 200 is listed as not measured.
 *
 * Translations are counted by content, wherever they travel (a JavaScript chunk, or data in
 * the document): a bundle (one language's namespace) counts as carried when its longest
 * string appears in what the page loads; the figure is the gzipped JSON of those bundles.
 * BENCH_ADMIN_TEXT (a distinctive staff-page string) must appear in none of the JavaScript.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, startApp } from './lib/app.ts';
import { openScriptDatabase } from '../scripts/lib/database.ts';
import { createSession, SESSION_COOKIE } from '../app/identity/session.server.ts';
import { credentialsForLetters } from '../app/targets/target-credentials.service.server.ts';
import { BOOKING_COOKIE } from '../app/reservations/booking-session.server.ts';
import { insertTargets } from '../test/support/targets.ts';
import { futureWorkingMorning, insertFacility, insertSlot } from '../test/support/reservations.ts';
import { tokyoDate } from '../app/i18n/dates.ts';
import { registerClient } from '../app/api/client.service.server.ts';

const GOAL_JS_GZ = 100 * 1024;
const GOAL_INBOX_HTML_GZ = 30 * 1024;

type Tree = { [key: string]: string | Tree };
type Bundle = { lng: string; ns: string; content: Tree; sample: string };

const gz = (text: string | Uint8Array) => gzipSync(text).byteLength;

const strings = (tree: Tree): string[] =>
  Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)));

/** How esbuild writes a string by default (charset ascii): non-ASCII as \uXXXX escapes. */
const asciiEscaped = (text: string) =>
  text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

async function readBundles(): Promise<Bundle[]> {
  const root = new URL('../app/locales/', import.meta.url);
  const bundles: Bundle[] = [];
  for (const lng of readdirSync(root).sort()) {
    for (const file of readdirSync(new URL(`${lng}/`, root)).sort()) {
      if (!file.endsWith('.ts')) continue;
      const content = ((await import(new URL(`${lng}/${file}`, root).href)) as { default: Tree })
        .default;
      const sample = strings(content)
        .filter((s) => !/["'`\\\n{}]/.test(s))
        .sort((a, b) => b.length - a.length)[0];
      if (!sample) throw new Error(`no sample string in ${lng}/${file}`);
      bundles.push({ lng, ns: file.replace(/\.ts$/, ''), content, sample });
    }
  }
  return bundles;
}

const carries = (text: string, bundle: Bundle) =>
  text.includes(bundle.sample) ||
  text.toLowerCase().includes(asciiEscaped(bundle.sample).toLowerCase());

/** Every script a page loads at start, with its static imports followed. */
async function pageScripts(origin: string, html: string): Promise<Map<string, string>> {
  const found = new Set<string>();
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    found.add(m[1] ?? '');
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) found.add(m[1] ?? '');
  for (const m of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g))
    for (const i of (m[1] ?? '').matchAll(/import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g))
      found.add(i[1] ?? '');
  const scripts = new Map<string, string>();
  const queue = [...found].filter((s) => s.endsWith('.js')).map((s) => new URL(s, origin).href);
  while (queue.length > 0) {
    const url = queue.pop() ?? '';
    if (scripts.has(url)) continue;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const code = await response.text();
    scripts.set(url, code);
    // Static imports and re-exports only: a dynamic import() is fetched when it is needed.
    for (const i of code.matchAll(
      /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g,
    ))
      queue.push(new URL(i[1] ?? '', url).href);
  }
  return scripts;
}

/** "ja: common home" — or "all N" when a page carries every bundle there is. */
function describe(carried: Bundle[]): string {
  if (carried.length === bundles.length) return `all ${bundles.length}`;
  const byLanguage = Map.groupBy(carried, (b) => b.lng);
  return [...byLanguage]
    .map(([lng, list]) => `${lng}: ${list.map((b) => b.ns).join(' ')}`)
    .join('; ');
}

const bundles = await readBundles();
const adminText =
  process.env.BENCH_ADMIN_TEXT ?? bundles.find((b) => b.ns === 'adminNotices')?.sample;
const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-bytes-'));
chmodSync(dataDir, 0o755); // the embedded server runs as another user
const env = { MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI_PG_PORT: String(await freePort()) };
Object.assign(process.env, env);
const app = await startApp(env);
const database = await openScriptDatabase({ migrate: false, applicationName: 'bench:bytes' });
try {
  const resident = await database.db
    .selectFrom('resident')
    .select(['id', 'name'])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('account')
    .values({ kind: 'resident', residentId: resident.id, displayName: resident.name })
    .onConflict((oc) => oc.column('residentId').doNothing())
    .execute();
  const account = await database.db
    .selectFrom('account')
    .select('id')
    .where('residentId', '=', resident.id)
    .executeTakeFirstOrThrow();
  const session = await createSession(database.db, {
    accountId: account.id,
    kind: 'resident',
    ip: '127.0.0.1',
    userAgent: 'bench:bytes',
  });
  const cookie = `${SESSION_COOKIE}=${session.token}`;
  const inbox = await (await fetch(`${app.origin}/ja/notices`, { headers: { cookie } })).text();
  const noticeId = inbox.match(/\/ja\/notices\/([0-9a-f-]{36})/)?.[1];
  if (!noticeId) throw new Error('the demo resident has no notice in the inbox');
  const booking = await bookingCalendar(database, app.origin);
  await registerClient(database.db, {
    id: 'bench-app',
    name: 'Bench app',
    redirectUris: ['https://app.example.jp/callback'],
    createdBy: null,
  });
  const authorize = `/ja/app/authorize?${new URLSearchParams({
    client_id: 'bench-app',
    redirect_uri: 'https://app.example.jp/callback',
    response_type: 'code',
    code_challenge: 'A'.repeat(43),
    code_challenge_method: 'S256',
  })}`;

  const pages = [
    { name: 'home /ja/ (signed out)', path: '/ja/', cookie: '' },
    { name: 'home /ja/ (signed in)', path: '/ja/', cookie },
    { name: 'inbox /ja/notices', path: '/ja/notices', cookie },
    { name: 'inbox /en/notices', path: '/en/notices', cookie },
    { name: 'notice /ja/notices/:id', path: `/ja/notices/${noticeId}`, cookie },
    { name: 'to-dos /ja/todos', path: '/ja/todos', cookie },
    { name: 'booking calendar (date step)', path: booking.path, cookie: booking.cookie },
    // Every other resident page (decision 0070, addendum): the booking site, first access, /my.
    {
      name: 'booking sign-in /ja/reservations/sign-in',
      path: '/ja/reservations/sign-in',
      cookie: '',
    },
    { name: 'booking text /ja/reservations/guide', path: '/ja/reservations/guide', cookie: '' },
    {
      name: 'booking signed in /ja/reservations',
      path: '/ja/reservations',
      cookie: booking.cookie,
    },
    { name: 'booking kind step', path: '/ja/reservations/book', cookie: booking.cookie },
    { name: 'first access /ja/first-access', path: '/ja/first-access', cookie: '' },
    { name: 'sign-in /ja/sign-in', path: '/ja/sign-in', cookie: '' },
    { name: 'my /ja/my', path: '/ja/my', cookie },
    { name: 'my app /ja/my/app', path: '/ja/my/app', cookie },
    { name: 'my credentials', path: '/ja/my/credentials', cookie },
    { name: 'my notifications', path: '/ja/my/notifications', cookie },
    { name: 'my proxies', path: '/ja/my/proxies', cookie },
    { name: 'my security', path: '/ja/my/security', cookie },
    { name: 'insurance /ja/insurance', path: '/ja/insurance', cookie },
    { name: 'app authorize /ja/app/authorize', path: authorize, cookie },
  ];
  const rows = [];
  for (const page of pages) {
    const response = await fetch(`${app.origin}${page.path}`, {
      headers: page.cookie ? { Cookie: page.cookie } : {},
      redirect: 'manual',
    });
    if (response.status !== 200) {
      // A page that does not render for this session (a redirect) is listed, not measured.
      rows.push({ page: page.name, scripts: 0, 'JS goal': `not measured: ${response.status}` });
      continue;
    }
    const html = await response.text();
    const scripts = await pageScripts(app.origin, html);
    const code = [...scripts.values()];
    const carried = bundles.filter((b) => carries(html, b) || code.some((c) => carries(c, b)));
    const inScripts = carried.filter((b) => code.some((c) => carries(c, b)));
    const json = (list: Bundle[]) =>
      list.length === 0 ? 0 : gz(JSON.stringify(list.map((b) => [b.lng, b.ns, b.content])));
    const jsGz = code.reduce((sum, c) => sum + gz(c), 0);
    const inboxPage = page.path.endsWith('/notices');
    rows.push({
      page: page.name,
      scripts: scripts.size,
      'JS gz': jsGz,
      'JS goal': jsGz <= GOAL_JS_GZ ? 'met' : 'NOT met',
      'translations gz': json(carried),
      'of which in JS gz': json(inScripts),
      'HTML gz': gz(html),
      'HTML goal': inboxPage ? (gz(html) <= GOAL_INBOX_HTML_GZ ? 'met' : 'NOT met') : '—',
      'admin text in JS': adminText
        ? code.some((c) => carries(c, { sample: adminText } as Bundle))
        : '?',
      bundles: describe(carried),
    });
  }
  console.log(
    `bench:weight — bytes a page makes the browser download (gzipped, node:zlib level 6); ` +
      `goals: JS ≤ ${GOAL_JS_GZ} B gz per page, inbox HTML ≤ ${GOAL_INBOX_HTML_GZ} B gz`,
  );
  console.table(rows);
  const over = rows.filter((r) => r['JS goal'] === 'NOT met').map((r) => r.page);
  console.log(`over ${GOAL_JS_GZ} B gz: ${over.length === 0 ? 'none' : over.join(', ')}`);
} finally {
  await database.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * A booking-site session on the calendar step: a pickup target of the app's city with its
 * letter, a counter with a slot in ten days, signed in with the letter's reservation ID and
 * password through the sign-in form.
 */
async function bookingCalendar(
  database: Awaited<ReturnType<typeof openScriptDatabase>>,
  origin: string,
): Promise<{ path: string; cookie: string }> {
  const { db, secrets, env: appEnv } = database;
  const city = appEnv.MADOGUCHI_CITY_CODE;
  const clerk = {
    actorType: 'system',
    actorId: null,
    onBehalfOfResidentId: null,
    ip: null,
  } as const;
  const ids = await insertTargets(db, { city, count: 1, state: 'letter_printed' });
  const [letter] = await credentialsForLetters(db, secrets, clerk, city, ids);
  if (!letter) throw new Error('no letter for the booking target');
  const facility = await insertFacility(db, city);
  const startsAt = futureWorkingMorning(10);
  await insertSlot(db, city, facility, { startsAt, capacity: 4 });
  const response = await fetch(`${origin}/ja/reservations/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ reservationId: letter.reservationId, password: letter.password }),
    redirect: 'manual',
  });
  const token = response.headers
    .getSetCookie()
    .map((c) => c.match(new RegExp(`^${BOOKING_COOKIE}=([^;]+)`))?.[1])
    .find(Boolean);
  if (!token) throw new Error(`booking sign-in failed: ${response.status}`);
  const path = `/ja/reservations/book/date?kind=card_pickup&facility=${facility}&month=${tokyoDate(startsAt).slice(0, 7)}`;
  const cookie = `${BOOKING_COOKIE}=${token}`;
  const calendar = await fetch(`${origin}${path}`, { headers: { cookie }, redirect: 'manual' });
  if (calendar.status !== 200 || !(await calendar.text()).includes('data-day='))
    throw new Error(`the booking calendar did not answer with days: ${calendar.status}`);
  return { path, cookie };
}
