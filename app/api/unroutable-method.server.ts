import type { NextFunction, Request, Response } from 'express';

/** The methods Remix routes to a loader or an action; it refuses any other before any route. */
const ROUTABLE = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Any other method on an /api/ path (PROPFIND, TRACE, …) would be answered by Remix with a
 * non-problem JSON 405, or — TRACE, CONNECT and TRACK, which the Fetch API cannot carry — a
 * 500. It reaches the route as OPTIONS instead, which no API route takes: the route's own
 * 405 method-not-allowed problem, with its Allow header, answers it.
 */
export function unroutableApiMethods(req: Request, _res: Response, next: NextFunction) {
  if (req.path.startsWith('/api/') && !ROUTABLE.has(req.method)) req.method = 'OPTIONS';
  next();
}
