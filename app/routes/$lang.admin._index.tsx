import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { permissions as allPermissions } from '../identity/permissions.ts';

export const handle: RouteHandle = { title: 'admin:home.title', i18n: ['admin'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, null);
  return {
    name: staff.session.displayName,
    permissions: allPermissions.filter((p) => staff.permissions.has(p)),
  };
}

export default function AdminHome() {
  const { t } = useTranslation('admin');
  const { name, permissions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('home.title')}</h1>
      <p>{t('home.lead', { name })}</p>
      <h2>{t('home.permissions')}</h2>
      {permissions.length === 0 ? (
        <p>{t('home.none')}</p>
      ) : (
        <ul>
          {permissions.map((p) => (
            <li key={p}>
              {t(`permission.${p}`, { nsSeparator: false })} <code lang="en">{p}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
