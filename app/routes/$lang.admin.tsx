import type { LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useParams, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import type { Permission } from '../identity/permissions.ts';
import { MenuLink, type SectionNavHandle } from '../ui/layout.tsx';
import type { RouteHandle } from '../ui/title.ts';

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
  { path: 'targets', key: 'nav.targets', permission: 'targets:manage' },
  { path: 'targets/lookup', key: 'nav.targetLookup', permission: 'targets:lookup' },
  { path: 'targets/import', key: 'nav.targetImport', permission: 'targets:import' },
  { path: 'targets/letters', key: 'nav.targetLetters', permission: 'targets:letters' },
  { path: 'renewals', key: 'nav.renewals', permission: 'renewals:manage' },
  { path: 'reservations', key: 'nav.reservations', permission: 'reservations:manage' },
  { path: 'targets/export', key: 'nav.targetExport', permission: 'targets:export' },
  {
    path: 'reservations/content',
    key: 'nav.reservationsContent',
    permission: 'reservations:content',
  },
  { path: 'clients', key: 'nav.clients', permission: 'clients:manage' },
  { path: 'staff', key: 'nav.staff', permission: 'staff:manage' },
  { path: 'groups', key: 'nav.groups', permission: 'staff:manage' },
  { path: 'audit', key: 'nav.audit', permission: 'audit:read' },
  { path: 'mail', key: 'nav.mail', permission: 'mail:read' },
  { path: 'operations', key: 'nav.operations', permission: 'operations:read' },
  { path: 'maintenance', key: 'nav.maintenance', permission: 'maintenance:manage' },
  { path: 'browser-errors', key: 'nav.browserErrors', permission: 'operations:read' },
  { path: 'credentials', key: 'nav.credentials', permission: 'credentials:manage' },
];

export const handle: SectionNavHandle & RouteHandle = {
  sectionNav: <AdminNav />,
  i18n: ['admin'],
};

/** The staff menu, drawn in the site header before <main> (see SectionNavHandle). */
function AdminNav() {
  const { t } = useTranslation('admin');
  const { lang } = useParams();
  const permissions = useRouteLoaderData<typeof loader>('routes/$lang.admin')?.permissions;
  if (!permissions) return null;
  return (
    <nav className="admin-nav" aria-label={t('nav.label')}>
      <ul>
        <li>
          <MenuLink to={`/${lang}/admin`} end>
            {t('nav.home')}
          </MenuLink>
        </li>
        {sections
          .filter((s) => permissions.includes(s.permission))
          .map((s) => (
            <li key={s.path}>
              <MenuLink to={`/${lang}/admin/${s.path}`}>{t(s.key)}</MenuLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}

export default function AdminLayout() {
  return <Outlet />;
}
