import express, { type NextFunction, type Request, type Response } from 'express';
import type { Db } from '../../db/connection.ts';
import type { Logger } from '../platform/logger.server.ts';
import { readReports } from './browser-error.ts';
import { recordBrowserErrors } from './browser-error.service.server.ts';

export const BROWSER_ERRORS_PATH = '/browser-errors';
export const BODY_MAX_BYTES = 8 * 1024;
const TYPES = ['application/json', 'application/csp-report', 'application/reports+json'];

/** A token bucket per address: `burst` reports at once, refilled at `perMinute`. */
function rateLimiter(burst: number, perMinute: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string): boolean => {
    const now = Date.now();
    // Idle buckets are full again anyway: forget them all rather than grow without end.
    if (buckets.size > 10_000) buckets.clear();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}

/**
 * POST /browser-errors: our reporter's JSON and the browser's own CSP violation reports.
 * Same origin only, JSON only, at most 8 KB, rate-limited per address; answers 204 with no
 * body. No cookie is read and nothing about the sender is kept.
 */
export function browserErrorEndpoint(
  db: Db,
  log: Logger,
  limits: { burst: number; perMinute: number } = { burst: 20, perMinute: 20 },
) {
  const allow = rateLimiter(limits.burst, limits.perMinute);
  const read = express.text({ type: TYPES, limit: BODY_MAX_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== BROWSER_ERRORS_PATH) return next();
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return void res.status(405).end();
    }
    if (req.get('sec-fetch-site') === 'cross-site') return void res.status(403).end();
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!TYPES.includes(type)) return void res.status(415).end();
    if (Number(req.get('content-length') ?? 0) > BODY_MAX_BYTES) return void res.status(413).end();
    if (!allow(req.ip ?? '')) {
      res.setHeader('Retry-After', '60');
      return void res.status(429).end();
    }
    read(req, res, (error?: unknown) => {
      if (error) {
        const status = (error as { status?: number }).status === 413 ? 413 : 400;
        return void res.status(status).end();
      }
      let body: unknown;
      try {
        body = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        return void res.status(400).end();
      }
      const reports = readReports(type, body);
      if (reports.length === 0) return void res.status(400).end();
      recordBrowserErrors(db, reports).then(
        () => res.status(204).end(),
        (err: unknown) => {
          log.error({ err }, 'browser errors not stored');
          res.status(503).end();
        },
      );
    });
  };
}
