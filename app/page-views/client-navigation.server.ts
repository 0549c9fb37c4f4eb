import type { ServerBuild } from '@remix-run/node';
import type { Db } from '../../db/connection.ts';
import { matchBuildRoutes } from '../platform/route-match.server.ts';
import { countPageView } from './page-views.service.server.ts';

/**
 * The page a Remix single-fetch data request (`GET /en/notices.data`) shows when it is a
 * client-side navigation, or null when it is not one (decision 0065 addendum). A navigation in
 * the browser asks for the next page's data instead of its document, so it counts as one view
 * of the same route pattern a document request would count. Not counted:
 * - anything but a successful GET (an action's POST; a redirect, an error);
 * - a revalidation: after an action (or a fetcher's submit, or useRevalidator) Remix asks
 *   again for the page the browser shows, so the request's Referer (same origin; our
 *   Referrer-Policy keeps the path) is the page it asks for;
 * - a prefetch (`Sec-Purpose`/`Purpose: prefetch`), which nobody may ever look at;
 * - resource routes (no component), and fetcher loads of one other route (`_routes`).
 */
export function clientNavigationRoute(
  routes: ServerBuild['routes'],
  request: Request,
  status: number,
): string | null {
  if (request.method !== 'GET' || status !== 200) return null;
  const url = new URL(request.url);
  if (!url.pathname.endsWith('.data')) return null;
  const purpose = `${request.headers.get('sec-purpose') ?? ''} ${request.headers.get('purpose') ?? ''}`;
  if (purpose.includes('prefetch')) return null;
  const pathname = url.pathname === '/_root.data' ? '/' : url.pathname.slice(0, -'.data'.length);
  const leaf = matchBuildRoutes(routes, pathname)?.at(-1)?.route.id;
  if (!leaf || !routes[leaf]?.module.default) return null;
  const only = url.searchParams.get('_routes');
  if (only !== null && !only.split(',').includes(leaf)) return null;
  const referer = request.headers.get('referer');
  if (referer !== null && samePage(referer, `${url.origin}${pathname}${url.search}`)) return null;
  return leaf;
}

/**
 * Whether two URLs name the same page: path and query, whatever the origin (a proxy may give
 * the server another host), trailing slash, `_routes` and query encoding aside.
 */
function samePage(a: string, b: string): boolean {
  const key = (value: string) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (!url) return null;
    url.searchParams.delete('_routes');
    url.searchParams.sort();
    return `${url.pathname.replace(/(.)\/$/, '$1')}?${url.searchParams}`;
  };
  const keyA = key(a);
  return keyA !== null && keyA === key(b);
}

/** Counts the request as a page view when it is a client-side navigation (see above). */
export function countClientNavigation(
  db: Db,
  routes: ServerBuild['routes'],
  request: Request,
  status: number,
): void {
  const route = clientNavigationRoute(routes, request, status);
  if (route) countPageView(db, route);
}
