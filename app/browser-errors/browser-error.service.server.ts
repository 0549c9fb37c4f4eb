import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate } from '../i18n/dates.ts';
import type { BrowserErrorKind, BrowserErrorReport } from './browser-error.ts';
import {
  countBrowserErrorsPerDay,
  findBrowserErrorGroups,
  upsertBrowserError,
} from './browser-error.repository.server.ts';

export async function recordBrowserErrors(
  db: Db,
  reports: readonly BrowserErrorReport[],
  at = new Date(),
): Promise<void> {
  const day = tokyoDate(at);
  for (const report of reports) await upsertBrowserError(db, day, report, at);
}

export type BrowserErrorExample = {
  at: string;
  source: string | null;
  line: number | null;
  column: number | null;
  stack: string | null;
};

/** The staff page: totals per day and kind, and the groups seen in the last `days` days. */
export async function browserErrorSummary(db: Db, days: number, now = new Date()) {
  const fromDay = addDays(tokyoDate(now), 1 - days);
  const perDay = new Map<string, Record<BrowserErrorKind, number>>();
  for (const row of await countBrowserErrorsPerDay(db, fromDay)) {
    const counts = perDay.get(row.day) ?? { error: 0, rejection: 0, csp: 0 };
    counts[row.kind] = row.count;
    perDay.set(row.day, counts);
  }
  const groups = await findBrowserErrorGroups(db, fromDay, 100);
  return {
    days: [...perDay].map(([day, counts]) => ({ day, ...counts })),
    groups: groups.map((g) => ({
      ...g,
      examples: (g.examples as BrowserErrorExample[]).slice(0, 3),
    })),
  };
}
