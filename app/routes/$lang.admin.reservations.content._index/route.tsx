import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { hasDraft } from '../../reservations/content.ts';
import { contentOverview } from '../../reservations/content.service.server.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import type { RouteHandle } from '../../ui/title.ts';

export const handle: RouteHandle = {
  title: 'adminBookingContent:list.title',
  i18n: ['adminBookingContent'],
};

/** Every text of the booking site in both languages: what is published, what waits as a draft. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'reservations:content');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const states = await contentOverview(context.db, context.env.MADOGUCHI_CITY_CODE);
  return {
    rows: states.map((s) => ({
      piece: s.piece,
      locale: s.locale,
      published: s.published
        ? {
            version: s.published.version,
            name: s.published.byName,
            date: formatDateTime(s.published.at, locale),
          }
        : null,
      draft: hasDraft(s) ? s.latestVersion : null,
    })),
  };
}

export default function BookingContentList() {
  const { t } = useTranslation('adminBookingContent');
  const { lang } = useParams();
  const { rows } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('list.title')}</h1>
      <p>{t('list.lead')}</p>
      <TableRegion labelledBy="content-caption">
        <table>
          <caption id="content-caption">{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.piece')}</th>
              <th scope="col">{t('list.language')}</th>
              <th scope="col">{t('list.published')}</th>
              <th scope="col">{t('list.draft')}</th>
              <th scope="col">{t('list.edit')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const piece = t(`pieces.${row.piece}`);
              const language = t(`languages.${row.locale}`);
              return (
                <tr key={`${row.piece}/${row.locale}`}>
                  <th scope="row">{piece}</th>
                  <td>{language}</td>
                  <td>
                    {row.published ? (
                      <MarkJapanese text={t('list.publishedBy', row.published)} />
                    ) : (
                      t('list.notPublished')
                    )}
                  </td>
                  <td>
                    {row.draft !== null
                      ? t('list.hasDraft', { version: row.draft })
                      : t('list.noDraft')}
                  </td>
                  <td>
                    <Link
                      to={`/${lang}/admin/reservations/content/${row.piece}/${row.locale}`}
                      aria-label={t('list.editLabel', { piece, language })}
                    >
                      {t('list.edit')}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
