import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { TableRegion } from '../ui/table-region.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { pageViewTable } from '../page-views/page-views.service.server.ts';

export const handle: RouteHandle = {
  title: 'adminBrowserReports:views.title',
  i18n: ['adminBrowserReports'],
};

const DAYS = 7;

/** Page views per route pattern and day (decision 0065), beside the delivery figures. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'delivery:read');
  return pageViewTable(context.db, DAYS);
}

export default function PageViews() {
  const { t } = useTranslation('adminBrowserReports');
  const { lang } = useParams();
  const { days, rows } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('views.title')}</h1>
      <p>{t('views.lead')}</p>
      <p>
        <Link to={`/${lang}/admin/delivery`}>{t('views.delivery')}</Link>
      </p>
      {rows.length === 0 ? (
        <p>{t('views.none')}</p>
      ) : (
        <TableRegion labelledBy="views-caption">
          <table>
            <caption id="views-caption">{t('views.caption', { days: DAYS })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('column.route')}</th>
                {days.map((d) => (
                  <th scope="col" key={d}>
                    <time dateTime={d}>{d}</time>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.route}>
                  <th scope="row" translate="no" lang="zxx">
                    {r.route}
                  </th>
                  {r.counts.map((n, i) => (
                    <td key={days[i]}>{n}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
