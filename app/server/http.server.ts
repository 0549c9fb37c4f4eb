import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import type { Runtime } from './runtime.server.ts';
import {
  crossOriginProtection,
  personalDataNotStored,
  securityHeaders,
} from '../platform/security.server.ts';
import { plainPage } from '../platform/plain-page.server.ts';
import { formInputHygiene, type CleanInput, type Refusal } from '../platform/form-input.server.ts';
import { unreadBodyGuard } from '../platform/unread-body.server.ts';
import { sendWebResponse, toWebRequest } from '../platform/remix-request.server.ts';
import { countClientNavigation } from '../page-views/client-navigation.server.ts';
import { localeFromPath, negotiateLocale } from '../i18n/negotiate.server.ts';
import type { AppContext } from '../context.ts';
import { renderMetrics } from '../push/metrics.server.ts';
import { registry } from '../platform/metrics.server.ts';
import { unroutableApiMethods } from '../api/unroutable-method.server.ts';
import { collectOperationsMetrics, requestDurations } from '../operations/metrics.server.ts';
import { countRequest } from '../operations/request-day.server.ts';
import { maintenanceGate } from '../maintenance/maintenance-gate.server.ts';
import { browserErrorEndpoint } from '../browser-errors/browser-error-endpoint.server.ts';
import {
  databaseUnavailable,
  isDatabaseUnavailable,
  unavailableResponse,
  wasDatabaseUnavailable,
} from '../platform/unavailable.server.ts';

/**
 * The HTTP front: unread-body guard, security headers, static files, access log, CSRF refusal,
 * input hygiene (NUL characters, form body limits), then Remix.
 * `getBuild` is called per request so the dev server can swap in a rebuilt app.
 */
export function createHttpApp(
  runtime: Runtime,
  getBuild: () => Promise<ServerBuild> | ServerBuild,
) {
  const { env, log } = runtime;
  const app = express();
  app.disable('x-powered-by');
  // Express reads NODE_ENV from process.env, which `npm start` leaves unset ("development":
  // stack traces in error pages). Ours is the parsed one.
  app.set('env', env.NODE_ENV === 'development' ? 'development' : 'production');
  if (env.MADOGUCHI_TRUST_PROXY) app.set('trust proxy', true);
  const https = env.publicOrigin.startsWith('https:');

  app.use(requestDurations(() => current?.build.routes));
  app.use(unreadBodyGuard());
  app.use(securityHeaders({ https, development: env.NODE_ENV === 'development' }));

  // Fingerprinted build assets are immutable; everything else in public/ is short-lived.
  app.use(
    '/build',
    express.static(path.resolve('public/build'), { immutable: true, maxAge: '1y', index: false }),
  );
  // Only file names (a dot in the last segment) can be files in public/: page paths skip the
  // fs.stat() that serve-static would make for every request.
  const publicFiles = express.static(path.resolve('public'), { maxAge: '1h', index: false });
  app.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? publicFiles(req, res, next) : next()));

  app.use((req, res, next) => {
    const requestId = (req.get('x-request-id') ?? '').slice(0, 64) || randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path === '/healthz' || req.path === '/readyz') return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      };
      if (res.statusCode >= 500) log.error(entry, 'request');
      else log.info(entry, 'request');
      countRequest(runtime.connection.db, res.statusCode, ms);
    });
    next();
  });

  // Before the CSRF and form checks: browsers post reports without a form or a session.
  app.use(browserErrorEndpoint(runtime.connection.db, log));
  app.use(maintenanceGate(runtime.connection.db));

  app.use(crossOriginProtection(env.publicOrigin, (req, res) => refuse(req, res, 'crossOrigin')));
  app.use(formInputHygiene(refuse));

  // Prometheus: with METRICS_TOKEN a bearer token, otherwise the same machine only.
  app.get('/metrics', async (req, res) => {
    // Behind a reverse proxy every visitor arrives from loopback: then only the token counts.
    const proxied = env.MADOGUCHI_TRUST_PROXY || req.get('x-forwarded-for') !== undefined;
    const loopback = !proxied && /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? '');
    const allowed = env.METRICS_TOKEN
      ? sameSecret(req.get('authorization') ?? '', `Bearer ${env.METRICS_TOKEN}`)
      : loopback;
    if (!allowed) return void res.status(403).type('text/plain').send('Forbidden\n');
    try {
      const { sql } = runtime.connection;
      await collectOperationsMetrics({
        sql,
        db: runtime.connection.db,
        boss: runtime.boss,
        backups: env.backups,
      });
      const text = await renderMetrics(runtime.boss, runtime.connection.db);
      res.status(200).type(registry.contentType).send(text);
    } catch (error) {
      log.error({ err: error }, 'metrics');
      res.status(503).type('text/plain').send('metrics unavailable\n');
    }
  });

  // One Remix handler per build: it derives the routes and the static handler once.
  const mode = env.NODE_ENV === 'development' ? 'development' : 'production';
  const getLoadContext = (req: Request, res: Response): AppContext => ({
    db: runtime.connection.db,
    boss: runtime.boss,
    env,
    log,
    secrets: runtime.secrets,
    readiness: runtime.readiness,
    cspNonce: res.locals.cspNonce as string,
    requestId: res.locals.requestId as string,
    clientIp: req.ip?.replace(/^::ffff:/, '') ?? null,
  });
  app.use(unroutableApiMethods);
  // Pages take GET, HEAD and POST (and what Remix routes to an action); a method the Fetch
  // API cannot even carry (TRACE, CONNECT, PROPFIND, …) is refused here, not with a 500.
  app.use((req, res, next) => {
    if (PAGE_METHODS.has(req.method)) return next();
    res.setHeader('Allow', 'GET, HEAD, POST');
    refuse(req, res, 'methodNotAllowed');
  });
  let current: { build: ServerBuild; handle: ReturnType<typeof createRequestHandler> } | undefined;
  app.all('*', async (req, res, next) => {
    try {
      const build = await getBuild();
      if (current?.build !== build) current = { build, handle: createRequestHandler(build, mode) };
      const request = toWebRequest(req, res, res.locals.cleanInput as CleanInput | undefined);
      const context = getLoadContext(req, res);
      let response = await current.handle(request, context);
      // A route failed because the database could not answer (entry.server's handleError
      // marked it): "try again shortly", not "something broke" (decision 0064). A client-side
      // navigation's data request (`.data`) keeps Remix's answer: its client can only read
      // turbo-stream, and shows the route's error boundary.
      if (response.status >= 500 && wasDatabaseUnavailable(context) && !req.path.endsWith('.data'))
        response = unavailableResponse(request, databaseUnavailable);
      personalDataNotStored(request, response);
      countClientNavigation(context.db, build.routes, request, response.status);
      await sendWebResponse(res, response);
    } catch (error) {
      next(error);
    }
  });
  // Anything that escaped a route: logged with its request id, answered with a plain page that
  // never shows a stack trace.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    log.error({ err: error, requestId: res.locals.requestId, path: req.path }, 'unhandled error');
    if (res.headersSent) return void next(error);
    if (isDatabaseUnavailable(error)) {
      const request = new globalThis.Request(`http://x${req.originalUrl}`, {
        method: req.method === 'HEAD' ? 'HEAD' : 'GET',
        headers: { 'accept-language': req.get('accept-language') ?? '' },
      });
      return void sendWebResponse(res, unavailableResponse(request, databaseUnavailable)).catch(
        next,
      );
    }
    refuse(req, res, 'server');
  });
  return app;
}

const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const REFUSAL_STATUS = {
  crossOrigin: 403,
  tooLarge: 413,
  badRequest: 400,
  methodNotAllowed: 405,
  server: 500,
} as const;

/** A localized page for a request refused before any route ran. */
function refuse(
  req: Request,
  res: Response,
  why: Refusal | 'crossOrigin' | 'methodNotAllowed' | 'server',
) {
  const webRequest = new globalThis.Request(`http://x${req.originalUrl}`, {
    headers: {
      cookie: req.get('cookie') ?? '',
      'accept-language': req.get('accept-language') ?? '',
    },
  });
  const locale = localeFromPath(req.path) ?? negotiateLocale(webRequest);
  res.status(REFUSAL_STATUS[why]).type('html').send(plainPage(locale, why));
}
