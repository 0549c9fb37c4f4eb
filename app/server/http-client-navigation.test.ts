/**
 * Client-side navigations counted as page views (decision 0065 addendum), through the whole
 * HTTP front on the production build: a single-fetch data request for a page counts like the
 * document would; a revalidation, a prefetch, an action and a resource route do not.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { pageViewsOf } from '../../test/support/maintenance.ts';
import { useServedBuild } from './served-build.test-support.ts';
import { clientNavigationRoute } from '../page-views/client-navigation.server.ts';
import { flushPageViews } from '../page-views/page-views.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const server = useServedBuild(database);
const HOME = 'routes/$lang._index';

/** Page views of the home page counted by what `request` does. */
async function viewsAfter(request: () => Promise<Response>) {
  await flushPageViews(db());
  const before = await pageViewsOf(db(), HOME);
  const response = await request();
  await response.arrayBuffer();
  await flushPageViews(db());
  return { status: response.status, added: (await pageViewsOf(db(), HOME)) - before };
}

describe('client-side navigations as page views', () => {
  it('counts a navigation’s data request like the document, with the same route key', async () => {
    // The document is counted by the build's own copy of the counter, written within 5 s.
    const before = await pageViewsOf(db(), HOME);
    expect((await server.get('/en/')).status).toBe(200);
    await expect.poll(() => pageViewsOf(db(), HOME), { timeout: 10_000 }).toBe(before + 1);
    // From the Japanese notices page to the English home page, in the browser.
    const navigation = await viewsAfter(() =>
      server.get('/en.data', { referer: `${server.origin}/ja/notices` }),
    );
    expect(navigation).toEqual({ status: 200, added: 1 });
    // Opened without a Referer (a policy may drop it): still a navigation.
    expect(await viewsAfter(() => server.get('/ja.data'))).toEqual({ status: 200, added: 1 });
  });

  it('does not count a revalidation of the page shown, a prefetch, or an action', async () => {
    const revalidation = await viewsAfter(() =>
      server.get('/en.data', { referer: `${server.origin}/en/` }),
    );
    expect(revalidation).toEqual({ status: 200, added: 0 });
    const prefetch = await viewsAfter(() =>
      server.get('/en.data', { referer: `${server.origin}/ja/notices`, 'sec-purpose': 'prefetch' }),
    );
    expect(prefetch).toEqual({ status: 200, added: 0 });
    const action = await viewsAfter(() =>
      fetch(`${server.origin}/en.data`, {
        method: 'POST',
        headers: { origin: server.origin, referer: `${server.origin}/ja/notices` },
        redirect: 'manual',
      }),
    );
    expect(action.added).toBe(0);
  });

  it('names the leaf page route, and nothing for resource routes or another route’s fetcher', () => {
    const routes = server.routes;
    const at = (path: string, headers: Record<string, string> = {}) =>
      clientNavigationRoute(routes, new Request(`http://localhost:3000${path}`, { headers }), 200);
    expect(at('/en/notices.data')).toBe('routes/$lang.notices._index');
    expect(at('/en/notices.data?page=2', { referer: 'http://localhost:3000/en/notices' })).toBe(
      'routes/$lang.notices._index',
    );
    expect(
      at('/en/notices.data?page=2', { referer: 'https://city.example.jp/en/notices?page=2' }),
    ).toBeNull();
    expect(at('/en/notices')).toBeNull(); // a document: counted by entry.server
    expect(at('/api/v1/notices.data')).toBeNull();
    expect(at('/en/notices.data?_routes=root')).toBeNull();
    expect(at('/en/notices.data?_routes=root,routes%2F%24lang.notices._index')).toBe(
      'routes/$lang.notices._index',
    );
    expect(
      clientNavigationRoute(routes, new Request('http://localhost:3000/en/notices.data'), 404),
    ).toBeNull();
  });
});
