/**
 * First-party page views (issue 14, decision 0065): the HTTP rendering of a document counts
 * one view of its route pattern on today's date in Japan. No cookie, address or identifier is
 * involved. Counts gather in memory and are written in one statement every 5 s (a daily
 * counter), so a page never waits for an insert; a process that dies loses at most those seconds.
 */
import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate } from '../i18n/dates.ts';
import { dailyCounter } from '../platform/daily-counter.server.ts';
import { addPageViews, findPageViews } from './page-view.repository.server.ts';

const views = dailyCounter<{ day: string; route: string }>({
  id: (k) => `${k.day} ${k.route}`,
  write: (db, rows) =>
    addPageViews(
      db,
      rows.map((r) => ({ ...r.key, views: r.count })),
    ),
});

export function countPageView(db: Db, route: string, at = new Date()): void {
  views.count(db, { day: tokyoDate(at), route });
}

/** Writes what this process counted for `db`; counts whose write failed are kept for the next try. */
export const flushPageViews = (db: Db): Promise<void> => views.write(db);

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
