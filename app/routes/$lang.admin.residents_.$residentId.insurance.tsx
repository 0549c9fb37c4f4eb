import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { z } from 'zod';
import { requireStaff } from '../identity/guards.server.ts';
import { findResident } from '../identity/residents.server.ts';
import { viewQualificationsOfResident } from '../insurance/insurance.service.server.ts';
import { QualificationList, qualificationView } from '../insurance/insurance-table.tsx';
import { aroundValue, VALUE_MARK } from '../letters/letter.ts';
import { isLocale, translator } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { i18n: ['insurance'] };

/**
 * One resident's insurance records, for staff with insurance:read. The trailing underscore
 * in `residents_` keeps this page out of the resident record's route (which has no outlet):
 * it renders inside the staff layout on its own.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'insurance:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = z.uuid().safeParse(params.residentId);
  const resident = id.success ? await findResident(context.db, id.data) : undefined;
  if (!resident) throw new Response('Not Found', { status: 404 });
  const records = await viewQualificationsOfResident(context.db, staff.actor, resident.id);
  return {
    title: translator(locale)('insurance:admin.resident.title', { name: resident.name }),
    resident: { id: resident.id, name: resident.name, registerCode: resident.registerCode },
    canReadResident: staff.permissions.has('residents:read'),
    records: records.map((r) => qualificationView(r, locale)),
  };
}

export default function ResidentInsurance() {
  const { t } = useTranslation('insurance');
  const { lang } = useParams();
  const { resident, records, canReadResident } = useLoaderData<typeof loader>();
  const heading = aroundValue(t('admin.resident.title', { name: VALUE_MARK }));
  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/insurance`}>{t('admin.resident.back')}</Link>
      </p>
      <h1>
        {heading.before}
        <span lang="ja">{userText(resident.name)}</span>
        {heading.after}
      </h1>
      <dl className="meta-list">
        <div>
          <dt>{t('admin.resident.registerCode')}</dt>
          <dd translate="no">{resident.registerCode}</dd>
        </div>
      </dl>
      {canReadResident ? (
        <p>
          <Link to={`/${lang}/admin/residents/${resident.id}`}>{t('admin.resident.record')}</Link>
        </p>
      ) : null}
      {records.length === 0 ? (
        <p className="notice notice--info">{t('admin.resident.none')}</p>
      ) : (
        <QualificationList records={records} />
      )}
    </div>
  );
}
