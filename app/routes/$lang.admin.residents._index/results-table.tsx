import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { loader } from './route.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';

type Resident = Awaited<ReturnType<typeof loader>>['residents'][number];

/** The residents a search found, each linking to their record. */
export function ResultsTable({ residents }: { residents: Resident[] }) {
  const { t } = useTranslation('adminResidents');
  const { lang } = useParams();
  return (
    <TableRegion labelledBy="results-title">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('search.name')}</th>
            <th scope="col">{t('search.birth')}</th>
            <th scope="col">{t('search.address')}</th>
            <th scope="col">{t('search.municipality')}</th>
          </tr>
        </thead>
        <tbody>
          {residents.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link to={`/${lang}/admin/residents/${r.id}`} lang="ja">
                  {userText(r.name)}
                </Link>
                <div className="hint" lang="ja">
                  {userText(r.nameKana)}
                </div>
                {r.nameLatin ? <div className="hint">{userText(r.nameLatin)}</div> : null}
              </th>
              <td>{r.birthDate}</td>
              <td lang="ja">{userText(r.address)}</td>
              <td lang="ja">{r.municipalityName}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
