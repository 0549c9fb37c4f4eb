import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { loader } from './route.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';

type Target = Extract<Awaited<ReturnType<typeof loader>>, { state: 'searched' }>['targets'][number];

/** The targets a search found, each linking to its page. */
export function ResultsTable({ targets }: { targets: Target[] }) {
  const { t } = useTranslation('adminTargets');
  const { lang } = useParams();
  const none = <span className="hint">{t('search.notYet')}</span>;
  return (
    <TableRegion labelledBy="results-title">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('search.nameColumn')}</th>
            <th scope="col">{t('search.kana')}</th>
            <th scope="col">{t('search.birthDate')}</th>
            <th scope="col">{t('search.state')}</th>
            <th scope="col">{t('search.applicationId')}</th>
            <th scope="col">{t('search.reservationId')}</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <tr key={target.id}>
              <th scope="row">
                <Link to={`/${lang}/admin/targets/${target.id}`} lang="ja">
                  {userText(target.name)}
                </Link>
              </th>
              <td lang="ja">{target.nameKana ? userText(target.nameKana) : none}</td>
              <td>{target.birthDate}</td>
              <td>{t(`states.${target.state}`)}</td>
              <td translate="no">{userText(target.applicationId)}</td>
              <td translate="no">{target.reservationId ?? none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
