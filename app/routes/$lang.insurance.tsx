import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { listQualifications } from '../insurance/insurance.service.server.ts';
import { QualificationList, qualificationView } from '../insurance/insurance-table.tsx';
import { isLocale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'insurance:title', i18n: ['insurance'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, 'insurance');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const records = await listQualifications(context.db, access.residentId, new Date());
  return { records: records.map((r) => qualificationView(r, locale)) };
}

export default function Insurance() {
  const { t } = useTranslation('insurance');
  const { records } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      {records.length === 0 ? (
        <p className="notice notice--info">{t('none')}</p>
      ) : (
        <QualificationList records={records} />
      )}
    </div>
  );
}
