import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../db/connection.ts';
import { localeFromPath, negotiateLocale } from '../i18n/negotiate.server.ts';
import { apiLocale } from '../api/problem.server.ts';
import { maintenanceWindows } from './maintenance.service.server.ts';
import { activeWindow, secondsUntilEnd } from './maintenance.ts';
import { maintenanceProblem, maintenancePage } from './maintenance-page.server.ts';

/**
 * What stays reachable during a window: staff pages (their documents, .data requests and the
 * staff sign-in at /{lang}/admin/sign-in), session upkeep, health and metrics, the route
 * manifest the staff pages' navigation asks for, and browser reports. Static files are
 * served before this gate runs.
 */
const REACHABLE =
  /^(?:\/[a-z]{2}\/admin(?:[/._]|$)|\/[a-z]{2}\/(?:session|sign-out)(?:\.data)?$|\/(?:healthz|readyz|metrics|browser-errors|__manifest)$|\/build\/)/;

/** Machine clients: they get problem+json, not a page. */
const MACHINE = /^\/(?:api|credentials|\.well-known)\//;

export const reachableDuringMaintenance = (path: string) => REACHABLE.test(path);

/**
 * During a maintenance window residents' pages answer 503 with the maintenance page and the
 * API 503 problem+json, both with Retry-After (seconds until the window ends).
 */
export function maintenanceGate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (reachableDuringMaintenance(req.path)) return next();
    const now = new Date();
    const window = activeWindow(await maintenanceWindows(db), now);
    if (!window) return next();
    const headers = new Headers({
      cookie: req.get('cookie') ?? '',
      'accept-language': req.get('accept-language') ?? '',
    });
    const webRequest = new globalThis.Request(`http://x${req.originalUrl}`, { headers });
    res.setHeader('Retry-After', String(secondsUntilEnd(window, now)));
    res.setHeader('Cache-Control', 'no-store');
    if (MACHINE.test(req.path)) {
      const locale = apiLocale(webRequest);
      res.setHeader('Content-Language', locale);
      res.status(503).type('application/problem+json; charset=utf-8');
      return void res.send(maintenanceProblem(window, locale, req.path));
    }
    const locale = localeFromPath(req.path) ?? negotiateLocale(webRequest);
    res.status(503).type('html').send(maintenancePage(window, locale));
  };
}
