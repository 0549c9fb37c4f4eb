import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createElement, type ComponentType } from 'react';
import { renderToString } from 'react-dom/server';

/**
 * patches/@remix-run+react+2.17.5.patch and patches/react-router-dom+6.30.4.patch (decision
 * 0069): the server render makes its routes and data routes once per build instead of on every
 * request, so the router's per-array caches (decision 0014) serve every render. The server
 * build imports `@remix-run/react`, whose `dist/server.js` requires `react-router-dom/server`;
 * this test loads both exactly that way and tells the patched code from the original by
 * behaviour: only the patched code hands the same routes to every render of the same build.
 */
type RouteModules = Record<string, { default: ComponentType }>;
type Cached = { routes: unknown[] };
type RemixServerModule = {
  RemixServer: ComponentType<{ context: unknown; url: string }>;
  UNSAFE_madoguchiServerRoutesCache?: WeakMap<object, Cached>;
};
type StaticRouterModule = {
  createStaticRouter(routes: unknown[], context: unknown): { routes: unknown[] };
  UNSAFE_madoguchiDataRoutesCache?: WeakMap<object, unknown>;
};

const fromHere = createRequire(import.meta.url);
const remixReactIndex = fromHere.resolve('@remix-run/react');
const fromRemixReact = createRequire(remixReactIndex);
const remixServer = fromRemixReact('./server.js') as RemixServerModule;
const staticRouter = fromRemixReact('react-router-dom/server') as StaticRouterModule;

const handlerContext = () => ({
  basename: '',
  location: { pathname: '/', search: '', hash: '', state: null, key: 'default' },
  matches: [],
  loaderData: {},
  actionData: null,
  errors: null,
  statusCode: 200,
  loaderHeaders: {},
  actionHeaders: {},
  activeDeferreds: null,
});

describe('the render routes patches', () => {
  it('react-router-dom: a routes array gets the same data routes on every static router', () => {
    const routes = [{ id: 'root', path: '/' }];
    const first = staticRouter.createStaticRouter(routes, handlerContext());
    const second = staticRouter.createStaticRouter(routes, handlerContext());
    expect(second.routes).toBe(first.routes);
    expect(staticRouter.createStaticRouter([...routes], handlerContext()).routes).not.toBe(
      first.routes,
    );
  });

  it('@remix-run/react: the server routes are made once per build, whatever object carries its modules', () => {
    const cache = remixServer.UNSAFE_madoguchiServerRoutesCache;
    expect(cache, 'the patch is not applied').toBeInstanceOf(WeakMap);
    const Root = () => null;
    const manifestRoutes = { root: { id: 'root', path: '', hasLoader: false, module: '' } };
    // The server runtime builds a new route-modules object for every request.
    const render = (routeModules: RouteModules) =>
      renderToString(
        createElement(remixServer.RemixServer, {
          url: 'http://localhost/',
          context: {
            manifest: { routes: manifestRoutes, entry: { module: '', imports: [] }, version: '1' },
            routeModules,
            staticHandlerContext: handlerContext(),
            future: {},
            isSpaMode: false,
            serverHandoffString: '{}',
          },
        }),
      );
    const rootModule = { default: Root };
    render({ root: rootModule });
    const first = cache?.get(manifestRoutes)?.routes;
    expect(first).toBeDefined();
    render({ root: rootModule });
    expect(cache?.get(manifestRoutes)?.routes).toBe(first);
    // And the data routes of those routes are kept too: one array for every render.
    expect(staticRouter.UNSAFE_madoguchiDataRoutesCache?.has(first as object)).toBe(true);
    // Other modules (a rebuilt app in `remix dev`) get new routes.
    render({ root: { default: Root } });
    expect(cache?.get(manifestRoutes)?.routes).not.toBe(first);
  });
});
