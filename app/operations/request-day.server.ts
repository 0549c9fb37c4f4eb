/**
 * HTTP requests per day in Japan for the operations report: status class and a duration
 * bucket, so the day's volume, errors and p50/p95 can be read back later (/metrics holds the
 * same live, per process, and forgets it at restart). Counted in memory and added in one
 * statement every 5 s (a daily counter), so no request waits for a write; a process that dies
 * loses at most those seconds.
 */
import type { Db } from '../../db/connection.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { dailyCounter } from '../platform/daily-counter.server.ts';
import { addRequestCounts, type RequestDayRow } from './request-day.repository.server.ts';

/** Bucket upper bounds in ms, around the seed's 1 s goal; the last catches everything slower. */
export const REQUEST_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 2147483647];

const requests = dailyCounter<Omit<RequestDayRow, 'requests'>>({
  id: (k) => `${k.day}|${k.statusClass}|${k.leMs}`,
  write: (db, rows) =>
    addRequestCounts(
      db,
      rows.map((r) => ({ ...r.key, requests: r.count })),
    ),
});

const statusClass = (status: number): RequestDayRow['statusClass'] =>
  status >= 200 && status < 600
    ? (`${Math.floor(status / 100)}xx` as RequestDayRow['statusClass'])
    : 'other';

/** Counts one answered request. */
export function countRequest(db: Db, status: number, ms: number, at = new Date()): void {
  requests.count(db, {
    day: tokyoDate(at),
    statusClass: statusClass(status),
    leMs: REQUEST_BUCKETS_MS.find((le) => ms <= le) ?? REQUEST_BUCKETS_MS.at(-1)!,
  });
}

/** Adds what this process counted for `db`; on failure the counts wait for the next write. */
export const writeRequestCounts = (db: Db): Promise<void> => requests.write(db);
