import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { loader } from './route.tsx';
import { TableRegion } from '../../ui/table-region.tsx';

/** Recent sign-ins to this account, this one marked as current. */
export function SessionsTable() {
  const { t } = useTranslation('identity');
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <TableRegion label={t('security.recent')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('security.signedInAt')}</th>
            <th scope="col">{t('security.lastSeen')}</th>
            <th scope="col">{t('security.device')}</th>
            <th scope="col">{t('security.address')}</th>
            <th scope="col">{t('security.status')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>{s.signedIn}</td>
              <td>{s.lastSeen}</td>
              <td>{s.userAgent}</td>
              <td>{s.ip}</td>
              <td>
                {s.current
                  ? t('security.current')
                  : s.active
                    ? t('security.active')
                    : t('security.ended')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
