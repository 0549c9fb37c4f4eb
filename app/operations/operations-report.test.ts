import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { countRequest, writeRequestCounts } from './request-day.server.ts';
import { countPageView, flushPageViews } from '../page-views/page-views.service.server.ts';
import { recordBrowserErrors } from '../browser-errors/browser-error.service.server.ts';
import { insertOperationRun } from './operation-run.repository.server.ts';
import { makeDueReports, recentReports } from './operations-report.service.server.ts';
import { loaderArgs, routeContext, settle, staffWithSession } from '../../test/support/routes.ts';
import { loader } from '../routes/$lang.admin.operations_.reports.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;

// Sunday 6 December 2026 in Japan, and the Monday after it at 00:20 (when the job runs).
const sunday = new Date('2026-12-06T03:00:00Z'); // 12:00 in Japan
const saturdayLate = new Date('2026-12-05T14:59:00Z'); // 23:59 on Saturday in Japan
const monday = new Date('2026-12-06T15:20:00Z');

describe('the daily operations report and the weekly summary', () => {
  it('adds up the day in Japan; on a Monday also the week; a second run stores the same again', async () => {
    // 100 requests on Sunday: 90 fast 2xx, 6 slow 2xx, 3 4xx, 1 5xx (a slow one).
    for (let i = 0; i < 90; i++) countRequest(db(), 200, 20, sunday);
    for (let i = 0; i < 6; i++) countRequest(db(), 200, 700, sunday);
    for (let i = 0; i < 3; i++) countRequest(db(), 404, 30, sunday);
    countRequest(db(), 503, 3000, sunday);
    // Saturday's requests belong to Saturday's report, and to the week.
    for (let i = 0; i < 10; i++) countRequest(db(), 200, 40, saturdayLate);
    await writeRequestCounts(db());
    for (let i = 0; i < 7; i++) countPageView(db(), 'routes/$lang._index', sunday);
    await flushPageViews(db());
    await recordBrowserErrors(
      db(),
      [
        {
          kind: 'error',
          route: 'routes/$lang._index',
          message: 'TypeError: x is undefined',
          example: { source: null, line: null, column: null, stack: null },
        },
      ],
      sunday,
    );
    await insertOperationRun(db(), {
      kind: 'backup',
      startedAt: sunday,
      finishedAt: sunday,
      ok: false,
      backupId: null,
      detail: 'write EFBIG: file too large',
    });

    const made = await makeDueReports(db(), monday);
    expect(made.map((r) => [r.kind, r.periodStart])).toEqual([
      ['daily', '2026-12-06'],
      ['weekly', '2026-11-30'],
    ]);
    const [daily] = await recentReports(db(), 'daily', 7);
    expect(daily).toMatchObject({ periodStart: '2026-12-06', periodEnd: '2026-12-06' });
    expect(daily!.figures).toMatchObject({
      requests: {
        total: 100,
        byClass: { '2xx': 96, '4xx': 3, '5xx': 1 },
        p50Ms: 25,
        p95Ms: 1000,
      },
      pageViews: 7,
      browserErrors: 1,
      backups: { ok: 0, failed: 1, restoreChecks: 0, restoreChecksFailed: 0 },
      bookings: { made: 0, cancelled: 0 },
    });
    const [weekly] = await recentReports(db(), 'weekly', 1);
    expect(weekly).toMatchObject({ periodStart: '2026-11-30', periodEnd: '2026-12-06' });
    expect(weekly!.figures.requests.total).toBe(110);

    // The job retried (or run by hand): the same periods, stored once each.
    await makeDueReports(db(), monday);
    expect(await recentReports(db(), 'daily', 7)).toHaveLength(1);
    expect(await recentReports(db(), 'weekly', 7)).toHaveLength(1);
    // On a Tuesday only the daily report is due.
    const tuesday = new Date('2026-12-07T15:20:00Z');
    expect((await makeDueReports(db(), tuesday)).map((r) => r.kind)).toEqual(['daily']);
  });
});

describe('/:lang/admin/operations/reports', () => {
  const PATH = '/en/admin/operations/reports';
  it('shows the stored reports to operations:read only', async () => {
    const context = routeContext(db());
    const reader = await staffWithSession(db(), ['operations:read']);
    const other = await staffWithSession(db(), ['audit:read']);
    const refused = await settle(() =>
      loader(loaderArgs(context, { path: PATH, params: { lang: 'en' }, cookie: other.cookie })),
    );
    expect((refused as Response).status).toBe(403);
    const data = (await loader(
      loaderArgs(context, { path: PATH, params: { lang: 'en' }, cookie: reader.cookie }),
    )) as { daily: { period: string; figures: { requests: { total: number } } }[] };
    // What the first test stored, newest first: Monday (nothing counted), then Sunday.
    expect(data.daily.map((d) => [d.period, d.figures.requests.total])).toEqual([
      [expect.stringContaining('7 December 2026'), 0],
      [expect.stringContaining('6 December 2026'), 100],
    ]);
  });
});
