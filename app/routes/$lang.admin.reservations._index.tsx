import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';

export const handle: RouteHandle = {
  title: 'adminReservations:index.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'reservations:manage');
  return null;
}

export default function ReservationsIndex() {
  const { t } = useTranslation('adminReservations');
  const { lang } = useParams();
  const base = `/${lang}/admin/reservations`;
  return (
    <div className="page">
      <h1>{t('index.title')}</h1>
      <p>{t('index.lead')}</p>
      <ul>
        <li>
          <Link to={`${base}/facilities`}>{t('index.facilities')}</Link>
        </li>
        <li>
          <Link to={`${base}/closed-days`}>{t('index.closedDays')}</Link>
        </li>
        <li>
          <Link to={`${base}/rules`}>{t('index.rules')}</Link>
        </li>
      </ul>
    </div>
  );
}
