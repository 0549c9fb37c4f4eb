import { useTranslation } from 'react-i18next';
import { TableRegion } from '../../ui/table-region.tsx';

type Row = {
  version: number;
  createdByName: string;
  createdAt: string;
  publishedByName: string | null;
  publishedAt: string | null;
};

/** Every version of the piece: who saved it and when, who first published it and when. */
export function ContentHistory({ history }: { history: Row[] }) {
  const { t } = useTranslation('adminBookingContent');
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('edit.history')}</h2>
      {history.length === 0 ? (
        <p>{t('edit.noHistory')}</p>
      ) : (
        <TableRegion labelledBy="history-caption">
          <table>
            <caption id="history-caption">{t('edit.historyCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('edit.version')}</th>
                <th scope="col">{t('edit.savedBy')}</th>
                <th scope="col">{t('edit.publishedCol')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{t('edit.who', { date: v.createdAt, name: v.createdByName })}</td>
                  <td>
                    {v.publishedAt
                      ? t('edit.who', { date: v.publishedAt, name: v.publishedByName ?? '' })
                      : t('edit.neverPublished')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
