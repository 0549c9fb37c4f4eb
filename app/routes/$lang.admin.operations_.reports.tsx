import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { TableRegion } from '../ui/table-region.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { formatDate, rangeText, tokyoDayStart } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import {
  recentReports,
  type StoredReport,
} from '../operations/operations-report.service.server.ts';

export const handle: RouteHandle = {
  title: 'adminOperations:reports.title',
  i18n: ['adminOperations'],
};

/**
 * The stored operations reports (issue 14): the last two weeks day by day and the last eight
 * weekly summaries, each one row of figures a night-time operator can compare at a glance.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'operations:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const day = (d: string) => formatDate(tokyoDayStart(d), locale);
  const rows = (reports: StoredReport[]) =>
    reports.map((r) => ({
      period:
        r.periodStart === r.periodEnd
          ? day(r.periodStart)
          : rangeText(day(r.periodStart), day(r.periodEnd), locale),
      figures: r.figures,
    }));
  const [daily, weekly] = await Promise.all([
    recentReports(context.db, 'daily', 14),
    recentReports(context.db, 'weekly', 8),
  ]);
  return { daily: rows(daily), weekly: rows(weekly) };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['daily'][number];

export default function OperationsReports() {
  const { t } = useTranslation('adminOperations');
  const { lang } = useParams();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('reports.title')}</h1>
      <p>{t('reports.lead')}</p>
      <p>
        <a href={`/${lang}/admin/operations`}>{t('reports.back')}</a>
      </p>
      <ReportTable id="daily" caption={t('reports.daily')} rows={data.daily} />
      <ReportTable id="weekly" caption={t('reports.weekly')} rows={data.weekly} />
    </div>
  );
}

function ReportTable({ id, caption, rows }: { id: string; caption: string; rows: Row[] }) {
  const { t, i18n } = useTranslation('adminOperations');
  const number = (n: number) => n.toLocaleString(i18n.language);
  const within = (ms: number | null) =>
    ms === null ? '—' : ms > 10_000 ? t('reports.slower') : t('reports.within', { ms: number(ms) });
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{caption}</h2>
      {rows.length === 0 ? (
        <p>{t('reports.none')}</p>
      ) : (
        <TableRegion labelledBy={`${id}-caption`}>
          <table className="table">
            <caption id={`${id}-caption`}>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.period')}</th>
                <th scope="col">{t('reports.requests')}</th>
                <th scope="col">{t('reports.serverErrors')}</th>
                <th scope="col">{t('reports.p50')}</th>
                <th scope="col">{t('reports.p95')}</th>
                <th scope="col">{t('reports.pageViews')}</th>
                <th scope="col">{t('reports.browserErrors')}</th>
                <th scope="col">{t('reports.jobsFailed')}</th>
                <th scope="col">{t('reports.pushes')}</th>
                <th scope="col">{t('reports.bookings')}</th>
                <th scope="col">{t('reports.backups')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ period, figures: f }) => (
                <tr key={period}>
                  <th scope="row">{period}</th>
                  <td>{number(f.requests.total)}</td>
                  <td>{number(f.requests.byClass['5xx'] ?? 0)}</td>
                  <td>{within(f.requests.p50Ms)}</td>
                  <td>{within(f.requests.p95Ms)}</td>
                  <td>{number(f.pageViews)}</td>
                  <td>{number(f.browserErrors)}</td>
                  <td>{number(f.jobs.failed)}</td>
                  <td>
                    {t('reports.pushesValue', {
                      sent: number(f.pushes.sent),
                      failed: number(f.pushes.failed),
                    })}
                  </td>
                  <td>
                    {t('reports.bookingsValue', {
                      made: number(f.bookings.made),
                      cancelled: number(f.bookings.cancelled),
                    })}
                  </td>
                  <td>
                    {t('reports.backupsValue', {
                      ok: number(f.backups.ok),
                      failed: number(f.backups.failed),
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
