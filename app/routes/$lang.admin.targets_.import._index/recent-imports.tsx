import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import type { loader } from './route.tsx';

/** File names and staff names are data in whatever language they were written. */
const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text) ? 'ja' : undefined;

/** The city's latest imports, each linking to its page (progress, preview or result). */
export function RecentImports() {
  const { t } = useTranslation('adminTargetImport');
  const { lang } = useParams();
  const locale = isLocale(lang) ? lang : 'ja';
  const { imports } = useLoaderData<typeof loader>();
  const number = (n: number | null) => (n ?? 0).toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-GB');
  return (
    <section aria-labelledby="recent-heading">
      <h2 id="recent-heading">{t('recent.heading')}</h2>
      {imports.length === 0 ? (
        <p>{t('recent.empty')}</p>
      ) : (
        <TableRegion labelledBy="recent-caption">
          <table>
            <caption id="recent-caption">{t('recent.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('recent.file')}</th>
                <th scope="col">{t('recent.by')}</th>
                <th scope="col">{t('recent.when')}</th>
                <th scope="col">{t('recent.state')}</th>
                <th scope="col">{t('recent.counts')}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <Link to={`/${lang}/admin/targets/import/${i.id}`} lang={langOf(i.fileName)}>
                      {userText(i.fileName)}
                    </Link>
                  </th>
                  <td lang={langOf(i.createdByName)}>{userText(i.createdByName)}</td>
                  <td>{formatDateTime(new Date(i.createdAt), locale)}</td>
                  <td>{t(`state.${i.state}`)}</td>
                  <td>
                    {i.state === 'confirmed'
                      ? t('recent.countsText', {
                          new: number(i.newCount),
                          updated: number(i.updatedCount),
                          unchanged: number(i.unchangedCount),
                          rejected: number(i.rejectedCount),
                        })
                      : i.state === 'staging'
                        ? t('recent.progressText', {
                            read: number(i.linesRead),
                            total: number(i.linesTotal),
                          })
                        : i.state === 'failed'
                          ? ''
                          : t('recent.countsStaged', {
                              rows: number(i.rowsCount),
                              rejected: number(i.rejectedCount),
                            })}
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
