import { Form } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { PersonName } from '../../ui/layout.tsx';
import { TableRegion } from '../../ui/table-region.tsx';

export type ClientRow = {
  id: string;
  name: string;
  redirectUris: string[];
  links: number;
  disabled: boolean;
};

/** Registered clients, each with its state and a button that disables or enables it. */
export function ClientsTable({ clients }: { clients: ClientRow[] }) {
  const { t } = useTranslation('api');
  return (
    <TableRegion labelledBy="clients-caption">
      <table>
        <caption id="clients-caption">{t('clients.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('clients.id')}</th>
            <th scope="col">{t('clients.name')}</th>
            <th scope="col">{t('clients.redirectUris')}</th>
            <th scope="col">{t('clients.links')}</th>
            <th scope="col">{t('clients.status')}</th>
            <th scope="col">{t('clients.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.id} data-testid={`client-${c.id}`}>
              <th scope="row">
                <code lang="en" translate="no">
                  {c.id}
                </code>
              </th>
              <td>
                <PersonName name={c.name} />
              </td>
              <td>
                {c.redirectUris.map((u) => (
                  <div key={u}>
                    <code lang="en" translate="no">
                      {u}
                    </code>
                  </div>
                ))}
              </td>
              <td>{c.links}</td>
              <td>{c.disabled ? t('clients.disabled') : t('clients.active')}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value={c.disabled ? 'enable' : 'disable'} />
                  <input type="hidden" name="clientId" value={c.id} />
                  <button type="submit" className="button button--secondary">
                    {c.disabled ? t('clients.enable') : t('clients.disable')}
                    <span className="visually-hidden">
                      {' '}
                      <span lang="en" translate="no">
                        {c.id}
                      </span>
                    </span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
