import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireStaff } from '../identity/guards.server.ts';
import type { Permission } from '../identity/permissions.ts';

/**
 * The staff area's frame: a menu of what this person may use. It checks only that a staff
 * member is signed in; each page below checks its own permission.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, null);
  return { permissions: [...staff.permissions] };
}

const sections: { path: string; key: string; permission: Permission }[] = [
  { path: 'residents', key: 'nav.residents', permission: 'residents:read' },
  { path: 'notices', key: 'nav.notices', permission: 'notices:write' },
  { path: 'delivery', key: 'nav.delivery', permission: 'delivery:read' },
  { path: 'todos/new', key: 'nav.todos', permission: 'todos:write' },
  { path: 'insurance', key: 'nav.insurance', permission: 'insurance:read' },
  { path: 'clients', key: 'nav.clients', permission: 'clients:manage' },
  { path: 'staff', key: 'nav.staff', permission: 'staff:manage' },
  { path: 'groups', key: 'nav.groups', permission: 'staff:manage' },
  { path: 'audit', key: 'nav.audit', permission: 'audit:read' },
];

export default function AdminLayout() {
  const { t } = useTranslation('admin');
  const { lang } = useParams();
  const { permissions } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="admin-nav" aria-label={t('nav.label')}>
        <ul>
          <li>
            <NavLink to={`/${lang}/admin`} end>
              {t('nav.home')}
            </NavLink>
          </li>
          {sections
            .filter((s) => permissions.includes(s.permission))
            .map((s) => (
              <li key={s.path}>
                <NavLink to={`/${lang}/admin/${s.path}`}>{t(s.key)}</NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
