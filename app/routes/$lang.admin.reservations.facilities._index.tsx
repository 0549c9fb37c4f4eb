import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';
import { facilities } from '../reservations/facility.service.server.ts';

export const handle: RouteHandle = {
  title: 'adminReservations:facilities.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  return { facilities: await facilities(context.db, clerkOf(staff, context.env).municipalityCode) };
}

export default function Facilities() {
  const { t, i18n } = useTranslation('adminReservations');
  const { lang } = useParams();
  const { facilities } = useLoaderData<typeof loader>();
  const base = `/${lang}/admin/reservations/facilities`;
  return (
    <div className="page">
      <h1>{t('facilities.title')}</h1>
      <p>
        <Link to={`${base}/new`} className="button button--primary">
          {t('facilities.new')}
        </Link>
      </p>
      {facilities.length === 0 ? (
        <p>{t('facilities.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('facilities.name')}</th>
              <th scope="col">{t('facilities.kinds')}</th>
              <th scope="col">{t('facilities.status')}</th>
              <th scope="col">{t('facilities.weeks')}</th>
            </tr>
          </thead>
          <tbody>
            {facilities.map((f) => (
              <tr key={f.id}>
                <th scope="row">
                  <Link to={`${base}/${f.id}`}>{i18n.language === 'en' ? f.nameEn : f.nameJa}</Link>
                </th>
                <td>{f.kinds.map((k) => t(`kind.${k}`)).join(', ')}</td>
                <td>{f.archivedAt ? t('facilities.archived') : t('facilities.active')}</td>
                <td>
                  <Link to={`${base}/${f.id}/weeks`}>{t('facilities.weeks')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
