import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';

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

/**
 * The second part of the patch (decision 0014): before matching a branch segment by segment,
 * one RegExp test of its whole path skips the branches that cannot match. It must never skip
 * one that matches. Every route of the app, with its real paths, is matched twice: with the
 * shortcut, and with it switched off (a case-sensitive root route makes the patched router match
 * every branch segment by segment, as the original does); both must find the same routes.
 */
type ManifestRoute = {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
};
type TreeRoute = {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: TreeRoute[];
};

const { ignoredRouteFiles } = (await import('../remix.config.js')).default as {
  ignoredRouteFiles: string[];
};

function appRouteTree(rootCaseSensitive: boolean): { tree: TreeRoute[]; leaves: string[] } {
  const require = createRequire(import.meta.url);
  const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js') as {
    flatRoutes(dir: string, ignored: string[]): Record<string, ManifestRoute>;
  };
  const manifest = flatRoutes(resolvePath(import.meta.dirname, '../app'), ignoredRouteFiles);
  const build = (parentId: string): TreeRoute[] =>
    Object.values(manifest)
      .filter((r) => (r.parentId ?? 'root') === parentId)
      .map((r) => {
        const children = build(r.id);
        return {
          id: r.id,
          path: r.path,
          index: r.index,
          ...(children.length ? { children } : {}),
        };
      });
  const tree = [
    { id: 'root', path: '', caseSensitive: rootCaseSensitive, children: build('root') },
  ];
  // A concrete path for every route: its ancestors' paths with sample values for parameters.
  const pathOf = (r: ManifestRoute | undefined): string =>
    !r ? '' : `${pathOf(r.parentId ? manifest[r.parentId] : undefined)}/${r.path ?? ''}`;
  const leaves = Object.values(manifest).map((r) =>
    pathOf(r)
      .replace(/:lang\??/g, 'ja')
      .replace(/:[\w-]+\??/g, '3f2a9c1e-0b7d-4c5e-8a9f-1b2c3d4e5f60')
      .replace(/\*$/, 'some/deep/path')
      .replace(/\/+/g, '/'),
  );
  return { tree, leaves };
}

describe('the whole-path shortcut of the router patch', () => {
  it('finds exactly what segment-by-segment matching finds, for every route of the app', () => {
    const { matchRoutes } = routerAsTheServerLoadsIt() as unknown as {
      matchRoutes(routes: TreeRoute[], location: string): { route: TreeRoute }[] | null;
    };
    const fast = appRouteTree(false);
    const reference = appRouteTree(true);
    const paths = [
      ...fast.leaves,
      ...fast.leaves.map((p) => `${p}/`),
      ...fast.leaves.map((p) => p.replace(/^\/ja/, '/en')),
      ...fast.leaves.map((p) => `${p}/extra`),
      ...fast.leaves.map((p) => p.replace(/\/([^/]*)$/, '//$1')),
      '/',
      '/ja',
      '/xx/admin',
      '/ja/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B',
      '/ja/admin/targets/a%2Fb',
    ];
    expect(fast.leaves.length).toBeGreaterThan(80);
    const ids = (matches: { route: TreeRoute }[] | null) =>
      matches?.map((m) => m.route.id).join(' > ') ?? 'no match';
    const found = new Set<string>();
    for (const path of paths) {
      const got = ids(matchRoutes(fast.tree, path));
      expect(got, path).toBe(ids(matchRoutes(reference.tree, path)));
      found.add(got.split(' > ').at(-1)!);
    }
    // The generated paths reach (nearly) every route, so the comparison covers them.
    expect(found.size).toBeGreaterThan(fast.leaves.length * 0.6);
  });

  it('is what the server build runs: a branch is first tested on its whole path', () => {
    const { matchRoutes } = routerAsTheServerLoadsIt();
    const routes: Route[] = [
      { id: 'a', path: '/whole-path-a' },
      { id: 'b', path: '/whole-path-b' },
    ];
    const tested: string[] = [];
    const test = RegExp.prototype.test;
    RegExp.prototype.test = function (this: RegExp, value: string) {
      tested.push(this.source);
      return test.call(this, value);
    };
    try {
      expect(matchRoutes(routes, '/whole-path-b')?.[0]?.route.id).toBe('b');
    } finally {
      RegExp.prototype.test = test;
    }
    // The original matches with String.prototype.match only; the patch tests whole paths.
    expect(tested.some((source) => source.includes('whole-path-a'))).toBe(true);
  });
});
