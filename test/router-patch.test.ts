import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

/**
 * patches/@remix-run+router+1.23.3.patch makes @remix-run/router flatten and rank a routes
 * array once instead of on every request (docs/decisions/0014). The server build reaches the
 * router through @remix-run/server-runtime's `require('@remix-run/router')`; this test loads the
 * router module exactly that way and tells the patched code from the original by behaviour:
 * only the patched code keeps the ranking of a routes array it has already seen.
 */
type Route = { id: string; path: string };
type Router = {
  matchRoutes(routes: Route[], location: string): { route: Route }[] | null;
};

function routerAsTheServerLoadsIt(): Router {
  const fromServerRuntime = createRequire(resolveFromHere('@remix-run/server-runtime'));
  return fromServerRuntime('@remix-run/router') as Router;
}

function resolveFromHere(name: string): string {
  return createRequire(import.meta.url).resolve(name);
}

describe('the router patch', () => {
  it('is what the server build runs: a routes array is ranked once, on its first match', () => {
    const { matchRoutes } = routerAsTheServerLoadsIt();
    const routes: Route[] = [{ id: 'a', path: '/a' }];
    expect(matchRoutes(routes, '/a')?.[0]?.route.id).toBe('a');
    // The original router re-flattens the array on every call and would find the new route;
    // the patched one answers from the ranking it cached for this array.
    routes.push({ id: 'b', path: '/b' });
    expect(matchRoutes(routes, '/b')).toBeNull();
    // A new array (a new build in `remix dev`) is ranked afresh.
    expect(matchRoutes([...routes], '/b')?.[0]?.route.id).toBe('b');
  });
});
