import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { langOf } from './lang-of.ts';
import type { loader } from './route.tsx';
import { userText } from '../../ui/user-text.ts';
import { EmailAddress } from '../../ui/layout.tsx';
import { TableRegion } from '../../ui/table-region.tsx';

/** Every staff account with its groups, and the links that open the edit and disable panels. */
export function StaffTable() {
  const { t } = useTranslation('adminStaff');
  const { me, members, groups } = useLoaderData<typeof loader>();
  const groupName = new Map(groups.map((g) => [g.id, g.name]));

  return (
    <TableRegion label={t('staff.list')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('staff.name')}</th>
            <th scope="col">{t('staff.email')}</th>
            <th scope="col">{t('staff.groups')}</th>
            <th scope="col">{t('staff.status')}</th>
            <th scope="col">{t('staff.changeGroups')}</th>
            <th scope="col">{t('staff.disable')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <span lang={langOf(m.displayName)}>{userText(m.displayName)}</span>
                {m.id === me ? ` ${t('staff.you')}` : null}
              </th>
              <td>{m.email ? <EmailAddress address={m.email} /> : null}</td>
              <td>
                {m.groupIds.length === 0 ? (
                  t('staff.noGroups')
                ) : (
                  <ul>
                    {m.groupIds.map((id) => (
                      <li key={id} lang={langOf(groupName.get(id) ?? '')}>
                        {groupName.get(id)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{t(`staff.statuses.${m.status}`)}</td>
              <td>
                <Link
                  to={`?edit=${m.id}`}
                  aria-label={t('staff.editLinkLabel', { name: m.displayName })}
                >
                  {t('staff.editLink')}
                </Link>
              </td>
              <td>
                {m.status === 'disabled' ? null : m.id === me ? (
                  t('staff.cannotDisableSelf')
                ) : m.lastAdministrator ? (
                  t('staff.cannotDisableLastAdministrator')
                ) : (
                  <Link
                    to={`?confirm=${m.id}`}
                    aria-label={t('staff.disableLinkLabel', { name: m.displayName })}
                  >
                    {t('staff.disableLink')}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
