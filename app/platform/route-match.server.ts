import type { ServerBuild } from '@remix-run/node';
import { matchRoutes, type AgnosticRouteMatch, type AgnosticRouteObject } from '@remix-run/router';

const trees = new WeakMap<ServerBuild['routes'], AgnosticRouteObject[]>();

/** The build's flat route list as the nested tree @remix-run/router matches against. */
function routeTree(routes: ServerBuild['routes']): AgnosticRouteObject[] {
  const cached = trees.get(routes);
  if (cached) return cached;
  const childrenOf = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(routes)
      .filter((route) => route.parentId === parentId)
      .map((route) => {
        const children = childrenOf(route.id);
        return route.index
          ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive }
          : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children };
      });
  const tree = childrenOf(undefined);
  trees.set(routes, tree);
  return tree;
}

/** The build's routes a path matches, outermost first (as Remix matches them), or null. */
export function matchBuildRoutes(
  routes: ServerBuild['routes'],
  path: string,
): AgnosticRouteMatch<string, AgnosticRouteObject>[] | null {
  return matchRoutes(routeTree(routes), path);
}
