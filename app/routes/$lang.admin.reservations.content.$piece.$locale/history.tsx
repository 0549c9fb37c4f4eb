import { useTranslation } from '../../i18n/react.tsx';
import type { Locale } from '../../i18n/locales.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { TableRegion } from '../../ui/table-region.tsx';

type Row = {
  version: number;
  body: string;
  createdByName: string;
  createdAt: string;
  publishedByName: string | null;
  publishedAt: string | null;
};

/** Every version of the piece: who saved it and when, who first published it and when. */
export function ContentHistory({ history, locale }: { history: Row[]; locale: Locale }) {
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
                <th scope="col">{t('edit.text')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>
                    <MarkJapanese
                      text={t('edit.who', { date: v.createdAt, name: v.createdByName })}
                    />
                  </td>
                  <td>
                    {v.publishedAt ? (
                      <MarkJapanese
                        text={t('edit.who', { date: v.publishedAt, name: v.publishedByName ?? '' })}
                      />
                    ) : (
                      t('edit.neverPublished')
                    )}
                  </td>
                  <td>
                    {/* The text as saved (Markdown source), so a change can be read back. */}
                    <details>
                      <summary>{t('edit.showText', { version: v.version })}</summary>
                      <div className="version-text" lang={locale}>
                        {v.body}
                      </div>
                    </details>
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
