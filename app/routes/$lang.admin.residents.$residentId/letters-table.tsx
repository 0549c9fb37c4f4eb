import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { LetterCode } from '../../letters/printed-letter.tsx';
import type { loader } from './route.tsx';
import { TableRegion } from '../../ui/table-region.tsx';

/** The resident's letters, newest first; an unused one can be printed again. */
export function LettersTable() {
  const { t } = useTranslation('adminResidents');
  const { lang } = useParams();
  const { letters, canIssue } = useLoaderData<typeof loader>();
  return (
    <TableRegion labelledBy="letters-title">
      <table aria-labelledby="letters-title">
        <thead>
          <tr>
            <th scope="col">{t('detail.code')}</th>
            <th scope="col">{t('detail.issued')}</th>
            <th scope="col">{t('detail.expires')}</th>
            <th scope="col">{t('detail.status')}</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((l) => (
            <tr key={l.id} data-letter-id={l.id}>
              <th scope="row">
                <LetterCode code={l.code} />
                <div className="hint">{t(`purposeValue.${l.purpose}`)}</div>
              </th>
              <td>{l.issued}</td>
              <td>{l.expires}</td>
              <td>
                {t(`detail.statusValue.${l.status}`, { date: l.statusDate })}
                {l.status === 'active' && canIssue ? (
                  <div>
                    <Link
                      to={`/${lang}/admin/letters/${l.id}/print`}
                      aria-label={t('detail.printLinkLabel', { code: l.code })}
                    >
                      {t('detail.printLink')}
                    </Link>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
