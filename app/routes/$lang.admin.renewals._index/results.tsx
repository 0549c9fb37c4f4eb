import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';
import type { loader } from './route.tsx';

type Renewal = Extract<
  Awaited<ReturnType<typeof loader>>,
  { state: 'searched' }
>['renewals'][number];

/**
 * The people found, each linking to their record, with a box to print their form: the boxes
 * and the button are one GET form to the print page, so printing works without JavaScript.
 */
export function RenewalResults({ renewals }: { renewals: Renewal[] }) {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  return (
    <Form method="get" action={`/${lang}/admin/renewals/print`} reloadDocument>
      <TableRegion labelledBy="results-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('table.select')}</th>
              <th scope="col">{t('table.name')}</th>
              <th scope="col">{t('table.birthDate')}</th>
              <th scope="col">{t('table.noticeNumber')}</th>
              <th scope="col">{t('table.registerCode')}</th>
              <th scope="col">{t('table.state')}</th>
            </tr>
          </thead>
          <tbody>
            {renewals.map((r) => (
              <tr key={r.id}>
                <td>
                  <input
                    type="checkbox"
                    name="id"
                    value={r.id}
                    aria-label={t('table.selectPerson', { name: r.name })}
                  />
                </td>
                <th scope="row">
                  <Link to={`/${lang}/admin/renewals/${r.id}`} lang="ja">
                    {userText(r.name)}
                  </Link>
                  {r.nameKana ? (
                    <div className="hint" lang="ja">
                      {userText(r.nameKana)}
                    </div>
                  ) : null}
                </th>
                <td>{r.birthDate}</td>
                <td>{r.noticeNumber}</td>
                <td>{r.residentRegisterCode}</td>
                <td>{t(`state.${r.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <div className="button-row">
        <button type="submit" className="button button--secondary">
          {t('table.printSelected')}
        </button>
      </div>
    </Form>
  );
}
