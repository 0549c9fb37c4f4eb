import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { listNoticesForStaff } from '../notices/notice.service.server.ts';
import { decodeCursor, pickLanguage } from '../notices/notice.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';
import { TableRegion } from '../ui/table-region.tsx';

export const handle: RouteHandle = {
  title: 'adminNotices:list.title',
  i18n: ['notices', 'adminNotices'],
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'notices:write');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const cursor = decodeCursor(new URL(request.url).searchParams.get('after'));
  const { items, next } = await listNoticesForStaff(context.db, { cursor });
  return {
    paged: cursor !== null,
    nextHref: next ? `?${new URLSearchParams({ after: next })}` : null,
    notices: items.map((n) => {
      const { lang, title } = pickLanguage({ ...n, bodyJa: null, bodyEn: null }, locale);
      return {
        id: n.id,
        lang,
        title,
        sender: n.sender,
        audience: n.audience,
        municipalityCode: n.municipalityCode,
        recipients: n.recipients,
        publishAt: formatDateTime(n.publishAt, locale),
        publishIso: n.publishAt.toISOString(),
        status: n.status,
      };
    }),
  };
}

export default function StaffNoticeList() {
  const { t } = useTranslation('adminNotices');
  const { lang } = useParams();
  const { notices, nextHref, paged } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('list.title')}</h1>
      <p>{t('list.lead')}</p>
      <p>
        <Link to={`/${lang}/admin/notices/new`} className="button button--primary">
          {t('list.compose')}
        </Link>
      </p>
      {notices.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <TableRegion labelledBy="notices-caption">
          <table>
            <caption id="notices-caption">{t('list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.noticeTitle')}</th>
                <th scope="col">{t('list.sender')}</th>
                <th scope="col">{t('list.audience')}</th>
                <th scope="col">{t('list.publishAt')}</th>
                <th scope="col">{t('list.status')}</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id} data-notice-id={n.id}>
                  <th scope="row">
                    <Link to={`/${lang}/admin/notices/${n.id}`}>
                      <span lang={n.lang === lang ? undefined : n.lang}>{userText(n.title)}</span>
                    </Link>
                  </th>
                  <td>{t(`notices:sender.${n.sender}`)}</td>
                  <td>
                    {n.audience === 'list'
                      ? t('audience.list', { count: n.recipients ?? 0 })
                      : n.audience === 'municipality'
                        ? t('audience.municipality', { code: n.municipalityCode })
                        : t('audience.all')}
                  </td>
                  <td>
                    <time dateTime={n.publishIso}>{n.publishAt}</time>
                  </td>
                  <td>{t(`status.${n.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {paged || nextHref ? (
        <nav className="pager" aria-label={t('list.pages')}>
          {paged ? <Link to={`/${lang}/admin/notices`}>{t('list.first')}</Link> : null}
          {nextHref ? <Link to={nextHref}>{t('list.next')}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
