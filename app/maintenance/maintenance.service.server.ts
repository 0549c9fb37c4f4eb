/**
 * Maintenance windows (issue 14, decision 0065): staff schedule and cancel them (audited in
 * the same transaction); every request asks the in-memory schedule, refreshed in the
 * background at most every REFRESH_MS, so no page pays a query for it.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  cancelWindow,
  findOpenWindows,
  findRecentWindows,
  findWindow,
  insertWindow,
} from './maintenance.repository.server.ts';
import type { MaintenanceWindow } from './maintenance.ts';

const REFRESH_MS = 15_000;
const OPEN_WINDOWS = 10;

type Cache = { windows: MaintenanceWindow[]; loadedAt: number; loading?: Promise<void> };
const caches = new WeakMap<Db, Cache>();

/**
 * The windows not over yet (soonest first), as last read. The first call waits for the
 * database; later calls answer at once and refresh in the background when stale. A failed
 * refresh keeps what was known: the database being away must not fail pages here.
 */
export async function maintenanceWindows(db: Db): Promise<readonly MaintenanceWindow[]> {
  let cache = caches.get(db);
  if (!cache) {
    cache = { windows: [], loadedAt: Number.NEGATIVE_INFINITY };
    caches.set(db, cache);
  }
  const first = cache.loadedAt === Number.NEGATIVE_INFINITY;
  if (Date.now() - cache.loadedAt >= REFRESH_MS && !cache.loading) {
    const target = cache;
    target.loading = findOpenWindows(db, new Date(), OPEN_WINDOWS)
      .then(
        (rows) => void (target.windows = rows),
        () => undefined,
      )
      .finally(() => {
        target.loadedAt = Date.now();
        target.loading = undefined;
      });
  }
  if (first) await cache.loading;
  return cache.windows;
}

/** This process reads the schedule again on its next request (after a change made here). */
function forgetSchedule(db: Db) {
  caches.delete(db);
}

export function recentMaintenance(db: Db, limit = 50) {
  return findRecentWindows(db, limit);
}

export function maintenanceWindow(db: Db, id: string) {
  return findWindow(db, id);
}

export async function scheduleMaintenance(
  db: Db,
  actor: AuditActor & { actorId: string },
  input: { startsAt: Date; endsAt: Date; messageJa: string; messageEn: string },
): Promise<string> {
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertWindow(trx, { ...input, createdBy: actor.actorId });
    await recordAudit(trx, {
      ...actor,
      action: 'maintenance.schedule',
      targetType: 'maintenance_window',
      targetId: id,
      outcome: 'success',
      details: { startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() },
    });
    return id;
  });
  forgetSchedule(db);
  return id;
}

/** False when the window is unknown, already cancelled or over. */
export async function cancelMaintenance(
  db: Db,
  actor: AuditActor & { actorId: string },
  id: string,
): Promise<boolean> {
  const cancelled = await db.transaction().execute(async (trx) => {
    if (!(await cancelWindow(trx, id, actor.actorId, new Date()))) return false;
    await recordAudit(trx, {
      ...actor,
      action: 'maintenance.cancel',
      targetType: 'maintenance_window',
      targetId: id,
      outcome: 'success',
      details: {},
    });
    return true;
  });
  forgetSchedule(db);
  return cancelled;
}
