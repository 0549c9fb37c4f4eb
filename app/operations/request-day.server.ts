/**
 * HTTP requests per day in Japan for the operations report: status class and a duration
 * bucket, so the day's volume, errors and p50/p95 can be read back later (/metrics holds the
 * same live, per process, and forgets it at restart). Counted in memory and added in one
 * statement every few seconds, so no request waits for a write; a process that dies loses at
 * most those seconds.
 */
import type { Db } from '../../db/connection.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { addRequestCounts, type RequestDayRow } from './request-day.repository.server.ts';

/** Bucket upper bounds in ms, around the seed's 1 s goal; the last catches everything slower. */
export const REQUEST_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 2147483647];
const WRITE_EVERY_MS = 5_000;

const counted = new Map<Db, Map<string, RequestDayRow>>();
let writer: ReturnType<typeof setInterval> | undefined;

const statusClass = (status: number): RequestDayRow['statusClass'] =>
  status >= 200 && status < 600
    ? (`${Math.floor(status / 100)}xx` as RequestDayRow['statusClass'])
    : 'other';

/** Counts one answered request. */
export function countRequest(db: Db, status: number, ms: number, at = new Date()): void {
  const row: RequestDayRow = {
    day: tokyoDate(at),
    statusClass: statusClass(status),
    leMs: REQUEST_BUCKETS_MS.find((le) => ms <= le) ?? REQUEST_BUCKETS_MS.at(-1)!,
    requests: 1,
  };
  const key = `${row.day}|${row.statusClass}|${row.leMs}`;
  let rows = counted.get(db);
  if (!rows) counted.set(db, (rows = new Map()));
  const seen = rows.get(key);
  if (seen) seen.requests += 1;
  else rows.set(key, row);
  writer ??= setInterval(() => void writeAll(), WRITE_EVERY_MS).unref();
}

/** Adds what this process counted for `db`; on failure the counts wait for the next write. */
export async function writeRequestCounts(db: Db): Promise<void> {
  const rows = counted.get(db);
  if (!rows || rows.size === 0) return;
  counted.delete(db);
  try {
    await addRequestCounts(db, [...rows.values()]);
  } catch (error) {
    const now = counted.get(db) ?? new Map<string, RequestDayRow>();
    for (const [key, row] of rows) {
      const seen = now.get(key);
      if (seen) seen.requests += row.requests;
      else now.set(key, row);
    }
    counted.set(db, now);
    throw error;
  }
}

async function writeAll() {
  for (const db of [...counted.keys()]) await writeRequestCounts(db).catch(() => undefined);
}
