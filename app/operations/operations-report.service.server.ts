/**
 * The daily operations report and the weekly summary (issue 14): what happened in a period of
 * days in Japan — requests, server errors and latency, page views, browser errors, jobs,
 * pushes, bookings, backups — computed from what the service kept per day, stored once per
 * period (running it again replaces it), shown on the operations page.
 */
import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate, tokyoDayStart } from '../i18n/dates.ts';
import { findRequestCounts } from './request-day.repository.server.ts';
import { queueWeeklySummaryMail, type OperationsMailer } from './weekly-summary-mail.server.ts';
import {
  countBookings,
  countFinishedJobs,
  countOperationRuns,
  findReports,
  saveReport,
  sumBrowserErrors,
  sumPageViews,
  sumPushes,
} from './operations-report.repository.server.ts';

export type ReportFigures = {
  requests: {
    total: number;
    byClass: Record<string, number>;
    /** The bucket bound (ms) half / 95 % of the requests finished within; null without any. */
    p50Ms: number | null;
    p95Ms: number | null;
  };
  pageViews: number;
  browserErrors: number;
  jobs: { completed: number; failed: number; failedByQueue: Record<string, number> };
  pushes: { sent: number; failed: number };
  bookings: { made: number; cancelled: number };
  backups: { ok: number; failed: number; restoreChecks: number; restoreChecksFailed: number };
};

export type StoredReport = {
  periodStart: string;
  periodEnd: string;
  figures: ReportFigures;
  createdAt: Date;
};

/** The smallest bucket bound within which `share` of the requests finished. */
function bucketPercentile(buckets: { leMs: number; requests: number }[], share: number) {
  const total = buckets.reduce((sum, b) => sum + b.requests, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const b of buckets) {
    seen += b.requests;
    if (seen >= share * total) return b.leMs;
  }
  return buckets.at(-1)!.leMs;
}

/** The figures of the days [fromDay, toDay] (inclusive, days in Japan). */
export async function reportFigures(
  db: Db,
  fromDay: string,
  toDay: string,
): Promise<ReportFigures> {
  const from = tokyoDayStart(fromDay);
  const to = tokyoDayStart(toDay, 1);
  const [counts, pageViews, browserErrors, jobs, pushes, bookings, runs] = await Promise.all([
    findRequestCounts(db, fromDay, toDay),
    sumPageViews(db, fromDay, toDay),
    sumBrowserErrors(db, fromDay, toDay),
    countFinishedJobs(db, from, to),
    sumPushes(db, fromDay, toDay),
    countBookings(db, from, to),
    countOperationRuns(db, from, to),
  ]);
  const byClass: Record<string, number> = {};
  const byBucket = new Map<number, number>();
  for (const c of counts) {
    byClass[c.statusClass] = (byClass[c.statusClass] ?? 0) + c.requests;
    byBucket.set(c.leMs, (byBucket.get(c.leMs) ?? 0) + c.requests);
  }
  const buckets = [...byBucket]
    .map(([leMs, requests]) => ({ leMs, requests }))
    .sort((a, b) => a.leMs - b.leMs);
  const failedByQueue: Record<string, number> = {};
  for (const j of jobs.filter((j) => j.state === 'failed'))
    failedByQueue[j.queue] = (failedByQueue[j.queue] ?? 0) + j.jobs;
  const runsOf = (kind: string, ok: boolean) =>
    Number(runs.find((r) => r.kind === kind && r.ok === ok)?.n ?? 0);
  return {
    requests: {
      total: Object.values(byClass).reduce((a, b) => a + b, 0),
      byClass,
      p50Ms: bucketPercentile(buckets, 0.5),
      p95Ms: bucketPercentile(buckets, 0.95),
    },
    pageViews,
    browserErrors,
    jobs: {
      completed: jobs.filter((j) => j.state === 'completed').reduce((a, j) => a + j.jobs, 0),
      failed: Object.values(failedByQueue).reduce((a, b) => a + b, 0),
      failedByQueue,
    },
    pushes,
    bookings,
    backups: {
      ok: runsOf('backup', true),
      failed: runsOf('backup', false),
      restoreChecks: runsOf('verify-backup', true) + runsOf('verify-backup', false),
      restoreChecksFailed: runsOf('verify-backup', false),
    },
  };
}

/**
 * The reports due on `now`'s day in Japan: yesterday's daily report, and on a Monday the
 * weekly summary of the seven days to yesterday. Stored (again, when run twice); returned.
 */
export async function makeDueReports(db: Db, now = new Date()) {
  const yesterday = addDays(tokyoDate(now), -1);
  const periods: { kind: 'daily' | 'weekly'; periodStart: string }[] = [
    { kind: 'daily', periodStart: yesterday },
  ];
  // tokyoDayStart(today) is midnight in Japan: its UTC weekday is Sunday for a Monday.
  if (tokyoDayStart(tokyoDate(now)).getUTCDay() === 0)
    periods.push({ kind: 'weekly', periodStart: addDays(yesterday, -6) });
  const made: {
    kind: 'daily' | 'weekly';
    periodStart: string;
    periodEnd: string;
    figures: ReportFigures;
  }[] = [];
  for (const period of periods) {
    const figures = await reportFigures(db, period.periodStart, yesterday);
    await saveReport(db, { ...period, periodEnd: yesterday, figures });
    made.push({ ...period, periodEnd: yesterday, figures });
  }
  return made;
}

/**
 * The job's work: the due reports stored, and when the week's summary is among them, mailed to
 * the operators (each once per week, however many times this runs). How many mails were new.
 */
export async function runOperationsReports(db: Db, mailer: OperationsMailer, now = new Date()) {
  const made = await makeDueReports(db, now);
  let mailed = 0;
  for (const report of made)
    if (report.kind === 'weekly') mailed += await queueWeeklySummaryMail(db, mailer, report);
  return { made, mailed };
}

/** The newest stored reports of a kind, newest first. */
export async function recentReports(
  db: Db,
  kind: 'daily' | 'weekly',
  limit: number,
): Promise<StoredReport[]> {
  const rows = await findReports(db, kind, limit);
  return rows.map((r) => ({ ...r, figures: r.figures as ReportFigures }));
}
