import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../db/connection.ts';
import { sendWebResponse } from '../platform/remix-request.server.ts';
import { unavailableResponse } from '../platform/unavailable.server.ts';
import { maintenanceWindows } from './maintenance.service.server.ts';
import { activeWindow } from './maintenance.ts';
import { maintenanceCause } from './maintenance-page.server.ts';

/**
 * What stays reachable during a window: staff pages (their documents, .data requests and the
 * staff sign-in at /{lang}/admin/sign-in), session upkeep, health and metrics, the route
 * manifest the staff pages' navigation asks for, and browser reports. Static files are
 * served before this gate runs.
 */
const REACHABLE =
  /^(?:\/[a-z]{2}\/admin(?:[/._]|$)|\/[a-z]{2}\/(?:session|sign-out)(?:\.data)?$|\/(?:healthz|readyz|metrics|browser-errors|__manifest)$|\/build\/)/;

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
    const webRequest = new globalThis.Request(`http://x${req.originalUrl}`, {
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
    });
    await sendWebResponse(res, unavailableResponse(webRequest, maintenanceCause(window, now)));
  };
}
