/**
 * First-party page views (issue 14, decision 0065): the HTTP rendering of a document counts
 * one view of its route pattern on today's date in Japan. No cookie, address or identifier is
 * involved. Counts gather in memory and are written in one statement every FLUSH_MS, so a page
 * never waits for an insert; a process that dies loses at most those few seconds of counts.
 */
import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate } from '../i18n/dates.ts';
import { addPageViews, findPageViews } from './page-view.repository.server.ts';

const FLUSH_MS = 5_000;

const pending = new Map<Db, Map<string, number>>();
let timer: ReturnType<typeof setInterval> | undefined;

export function countPageView(db: Db, route: string, at = new Date()): void {
  let counts = pending.get(db);
  if (!counts) pending.set(db, (counts = new Map()));
  const key = `${tokyoDate(at)} ${route}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  timer ??= setInterval(() => void flushAllPageViews(), FLUSH_MS).unref();
}

/** Writes what this process counted for `db`; counts whose write failed are kept for the next try. */
export async function flushPageViews(db: Db): Promise<void> {
  const counts = pending.get(db);
  if (!counts || counts.size === 0) return;
  pending.delete(db);
  const rows = [...counts].map(([key, views]) => {
    const [day, route] = [key.slice(0, 10), key.slice(11)];
    return { day, route, views };
  });
  try {
    await addPageViews(db, rows);
  } catch (error) {
    for (const r of rows) {
      const again = pending.get(db) ?? new Map<string, number>();
      again.set(`${r.day} ${r.route}`, (again.get(`${r.day} ${r.route}`) ?? 0) + r.views);
      pending.set(db, again);
    }
    throw error;
  }
}

async function flushAllPageViews() {
  for (const db of [...pending.keys()]) await flushPageViews(db).catch(() => undefined);
}

/** The staff table: routes as rows, the last `days` days as columns, newest first. */
export async function pageViewTable(db: Db, days: number, now = new Date()) {
  const today = tokyoDate(now);
  const dayList = Array.from({ length: days }, (_, i) => addDays(today, -i));
  const byRoute = new Map<string, Record<string, number>>();
  for (const row of await findPageViews(db, dayList.at(-1)!)) {
    const counts = byRoute.get(row.route) ?? {};
    counts[row.day] = row.views;
    byRoute.set(row.route, counts);
  }
  const rows = [...byRoute].map(([route, counts]) => ({
    route,
    counts: dayList.map((d) => counts[d] ?? 0),
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  }));
  rows.sort((a, b) => b.total - a.total || a.route.localeCompare(b.route));
  return { days: dayList, rows };
}
