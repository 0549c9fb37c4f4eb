/**
 * npm run bench:bytes — what a resident's browser downloads for the home page and the inbox:
 * the JavaScript each page loads (modulepreload links, script tags, the inline entry's imports
 * and every static import of those, followed to the end), and the translations it carries,
 * gzipped (node:zlib, default level), as the browser receives them.
 *
 * Builds nothing: run `npm run build` first. Starts the built app on a fresh embedded
 * PostgreSQL (demo data seeded), signs in a demo resident with a session made in the
 * database, and reads the pages as that resident.
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

  const pages = [
    { name: 'home /ja/ (signed out)', path: '/ja/', cookie: '' },
    { name: 'home /ja/ (signed in)', path: '/ja/', cookie },
    { name: 'inbox /ja/notices', path: '/ja/notices', cookie },
    { name: 'inbox /en/notices', path: '/en/notices', cookie },
  ];
  const rows = [];
  for (const page of pages) {
    const response = await fetch(`${app.origin}${page.path}`, {
      headers: page.cookie ? { Cookie: page.cookie } : {},
      redirect: 'manual',
    });
    if (response.status !== 200) throw new Error(`${page.path}: ${response.status}`);
    const html = await response.text();
    const scripts = await pageScripts(app.origin, html);
    const code = [...scripts.values()];
    const carried = bundles.filter((b) => carries(html, b) || code.some((c) => carries(c, b)));
    const inScripts = carried.filter((b) => code.some((c) => carries(c, b)));
    const json = (list: Bundle[]) =>
      list.length === 0 ? 0 : gz(JSON.stringify(list.map((b) => [b.lng, b.ns, b.content])));
    rows.push({
      page: page.name,
      scripts: scripts.size,
      'JS gz': code.reduce((sum, c) => sum + gz(c), 0),
      'translations gz': json(carried),
      'of which in JS gz': json(inScripts),
      'HTML gz': gz(html),
      'admin text in JS': adminText
        ? code.some((c) => carries(c, { sample: adminText } as Bundle))
        : '?',
      bundles: describe(carried),
    });
  }
  console.log('bench:bytes — bytes a page makes the browser download (gzipped, node:zlib level 6)');
  console.table(rows);
} finally {
  await database.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
