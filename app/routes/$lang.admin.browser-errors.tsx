import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { TableRegion } from '../ui/table-region.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { formatDateTime, isoInstant } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { browserErrorSummary } from '../browser-errors/browser-error.service.server.ts';

export const handle: RouteHandle = {
  title: 'adminBrowserReports:errors.title',
  i18n: ['adminBrowserReports'],
};

const DAYS = 14;

/** First-party browser error collection (decision 0065): counts per day and latest examples. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'operations:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const { days, groups } = await browserErrorSummary(context.db, DAYS);
  return {
    days,
    groups: groups.map((g) => ({
      key: `${g.day} ${g.route} ${g.kind} ${g.message}`,
      day: g.day,
      route: g.route,
      kind: g.kind,
      message: g.message,
      count: g.count,
      lastSeen: formatDateTime(g.lastSeenAt, locale),
      lastSeenAt: isoInstant(g.lastSeenAt),
      examples: g.examples.map((e) => ({
        ...e,
        time: formatDateTime(new Date(e.at), locale),
      })),
    })),
  };
}

export default function BrowserErrors() {
  const { t } = useTranslation('adminBrowserReports');
  const { days, groups } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('errors.title')}</h1>
      <p>{t('errors.lead', { days: DAYS })}</p>
      {days.length === 0 ? (
        <p>{t('errors.none')}</p>
      ) : (
        <TableRegion labelledBy="errors-per-day">
          <table>
            <caption id="errors-per-day">{t('errors.perDay')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('column.day')}</th>
                <th scope="col">{t('kind.error')}</th>
                <th scope="col">{t('kind.rejection')}</th>
                <th scope="col">{t('kind.csp')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">
                    <time dateTime={d.day}>{d.day}</time>
                  </th>
                  <td>{d.error}</td>
                  <td>{d.rejection}</td>
                  <td>{d.csp}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {groups.length > 0 ? (
        <section aria-labelledby="error-groups">
          <h2 id="error-groups">{t('errors.groups')}</h2>
          {groups.map((g) => (
            <article key={g.key} className="card" aria-label={g.message}>
              <h3 translate="no" lang="en">
                {g.message}
              </h3>
              <dl>
                <dt>{t('column.kind')}</dt>
                <dd>{t(`kind.${g.kind}`)}</dd>
                <dt>{t('column.route')}</dt>
                <dd translate="no" lang="zxx">
                  {g.route}
                </dd>
                <dt>{t('column.day')}</dt>
                <dd>{g.day}</dd>
                <dt>{t('column.count')}</dt>
                <dd>{g.count}</dd>
                <dt>{t('column.lastSeen')}</dt>
                <dd>
                  <time dateTime={g.lastSeenAt}>{g.lastSeen}</time>
                </dd>
              </dl>
              {g.examples.map((e) => (
                <details key={e.at}>
                  <summary>{t('errors.example', { time: e.time })}</summary>
                  {e.source ? (
                    <p translate="no" lang="zxx">
                      {e.source}
                      {e.line !== null ? `:${e.line}:${e.column ?? 0}` : ''}
                    </p>
                  ) : null}
                  {e.stack ? (
                    <p className="version-text" translate="no" lang="zxx">
                      {e.stack}
                    </p>
                  ) : null}
                </details>
              ))}
            </article>
          ))}
        </section>
      ) : null}
    </div>
  );
}
