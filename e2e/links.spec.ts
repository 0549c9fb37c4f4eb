import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident, signInAsNewStaff } from './support/app.ts';
import { permissions } from '../app/identity/permissions.ts';
import { createSystemTodo } from '../app/todos/todo.service.server.ts';

/**
 * No dead links: a bounded breadth-first walk over every page reachable by internal links,
 * signed out, as a resident and as staff with every permission, fails listing each link that
 * answers 404 or a 5xx. The server-rendered HTML holds every link a page shows, so pages are
 * fetched with the browser's cookies (context.request) rather than rendered one by one.
 */

/**
 * At most this many addresses per kind of page (a notice, a resident, a page of a list):
 * enough for every notice a resident has, few enough that staff do not walk every resident.
 */
const PER_KIND = 25;
const MAX_REQUESTS = 800;

/** Links that are never followed: sign-out (a POST page, but never risk it by link). */
const NEVER = [/\/sign-out$/];
/** Downloads: their status is checked, their body not read for links. */
const DOWNLOAD = /\.csv$/;

type Broken = { status: number; url: string; from: string };

/** The kind of page an address is: ids and numbers as `:id`, the query's names only. */
function kindOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((s) => (/^[0-9a-f-]{8,}$|^\d+$|^[A-Za-z0-9_-]{20,}$/i.test(s) ? ':id' : s))
    .join('/');
  return `${path}?${[...url.searchParams.keys()].sort().join('&')}`;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The targets of every <a href> in a page, resolved against it. */
function linksIn(html: string, base: URL): URL[] {
  const found: URL[] = [];
  for (const match of html.matchAll(/<a\s[^>]*?href="([^"]*)"/gi)) {
    try {
      found.push(new URL(decodeEntities(match[1] ?? ''), base));
    } catch {
      // An href the browser could not follow either: a page check reports those.
    }
  }
  return found;
}

async function crawl(request: APIRequestContext, origin: string, start: string[]) {
  const broken: Broken[] = [];
  const seen = new Set<string>();
  const perKind = new Map<string, number>();
  const queue: { url: URL; from: string }[] = [];
  const enqueue = (url: URL, from: string) => {
    url.hash = '';
    if (url.origin !== origin || NEVER.some((re) => re.test(url.pathname))) return;
    if (seen.has(url.href)) return;
    const kind = kindOf(url);
    if ((perKind.get(kind) ?? 0) >= PER_KIND) return;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    seen.add(url.href);
    queue.push({ url, from });
  };
  for (const path of start) enqueue(new URL(path, origin), '(start)');
  let requests = 0;
  while (queue.length > 0 && requests < MAX_REQUESTS) {
    const { url, from } = queue.shift()!;
    requests += 1;
    const response = await request.get(url.href, { failOnStatusCode: false });
    const status = response.status();
    if (status === 404 || status >= 500)
      broken.push({ status, url: url.pathname + url.search, from });
    const type = response.headers()['content-type'] ?? '';
    if (status !== 200 || DOWNLOAD.test(url.pathname) || !type.includes('text/html')) {
      await response.dispose();
      continue;
    }
    const at = new URL(response.url());
    if (at.origin !== origin) continue;
    for (const link of linksIn(await response.text(), at)) enqueue(link, at.pathname + at.search);
  }
  expect(requests, 'the walk ended within its bound').toBeLessThan(MAX_REQUESTS);
  return { broken, visited: seen.size };
}

function report(broken: Broken[]): string[] {
  return broken.map((b) => `${b.status} ${b.url} (linked from ${b.from})`);
}

async function walkAs(page: Page, origin: string, start: string[]) {
  const { broken, visited } = await crawl(page.context().request, origin, start);
  test.info().annotations.push({ type: 'pages walked', description: String(visited) });
  expect(visited, 'pages reached').toBeGreaterThan(start.length);
  expect(report(broken), 'links that lead nowhere').toEqual([]);
}

test.describe('every internal link leads to a page', () => {
  test.describe.configure({ timeout: 240_000 });

  test('signed out', async ({ page, baseURL }) => {
    await walkAs(page, baseURL!, ['/ja/', '/en/']);
  });

  test('as a resident', async ({ page, baseURL }) => {
    const resident = await enrolResident(page, '1976-05-05');
    // The kinds of to-do the system gives (the demo's too), so their links are walked.
    await createSystemTodo(appDatabase().db, {
      residentId: resident.id,
      kind: 'book_card_pickup',
      titleJa: 'マイナンバーカードの受け取りを予約する',
      titleEn: 'Book a time to pick up your My Number card',
      dueDate: null,
      actionUrl: '/ja/notices',
    });
    await walkAs(page, baseURL!, ['/ja/my', '/en/my']);
  });

  test('as staff with every permission', async ({ page, baseURL }) => {
    await signInAsNewStaff(page, [...permissions]);
    await walkAs(page, baseURL!, ['/ja/admin', '/en/admin']);
  });
});
