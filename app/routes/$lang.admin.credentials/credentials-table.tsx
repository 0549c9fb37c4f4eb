import { Link } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { AppName } from '../../ui/app-name.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';
import type { CredentialView } from '../../credentials/revocation.ts';

export type CredentialRow = CredentialView & {
  thumbprint: string;
  note: string | null;
  revokedAt: string | null;
};

/** Every credential of the resident, newest first; a live one offers "Withdraw". */
export function CredentialsTable({
  credentials,
  self,
}: {
  credentials: CredentialRow[];
  self: string;
}) {
  const { t } = useTranslation('credentials');
  return (
    <>
      <h2 id="credentials-title">{t('admin.title')}</h2>
      <TableRegion labelledBy="credentials-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.document')}</th>
              <th scope="col">{t('admin.app')}</th>
              <th scope="col">{t('admin.issuedAt')}</th>
              <th scope="col">{t('admin.validUntil')}</th>
              <th scope="col">{t('admin.deviceKey')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('admin.action')}</th>
            </tr>
          </thead>
          <tbody>
            {credentials.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.document}</th>
                <td>
                  <AppName name={c.client} />
                  {c.device ? (
                    <div className="hint">
                      <AppName name={c.device} />
                    </div>
                  ) : null}
                </td>
                <td>{c.issuedAt}</td>
                <td>{c.validUntil}</td>
                <td>
                  <code translate="no">{c.thumbprint}</code>
                </td>
                <td>
                  {t(`states.${c.state}`)}
                  {c.state === 'revoked' ? (
                    <div className="hint">
                      {t(`reasons.${c.reason}`)}
                      {c.note ? <>: {userText(c.note)}</> : null}
                      {c.revokedAt ? <> ({c.revokedAt})</> : null}
                    </div>
                  ) : null}
                </td>
                <td>
                  {c.state === 'active' ? (
                    <Link to={`${self}&confirm=${c.id}`}>
                      {t('admin.revoke')}
                      <span className="visually-hidden">
                        {' '}
                        {c.document} {c.thumbprint}
                      </span>
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
