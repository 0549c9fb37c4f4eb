import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { MarkdownTokens } from '../ui/markdown-tokens.tsx';
import { markdownTokens } from '../ui/markdown.server.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { openNoticeAs } from '../notices/notice-actions.service.server.ts';
import { formatDateBoth } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { i18n: ['notices'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, 'notices');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const notice = await openNoticeAs(context.db, access, params.noticeId ?? '', locale);
  // Someone else's notice and a notice that does not exist look the same: not found.
  if (!notice) throw new Response('Not Found', { status: 404 });
  return {
    title: notice.title,
    lang: notice.lang,
    body: markdownTokens(notice.body),
    sender: notice.sender,
    date: formatDateBoth(notice.publishAt, locale),
    iso: notice.publishAt.toISOString(),
  };
}

export default function NoticeDetail() {
  const { t } = useTranslation('notices');
  const { lang } = useParams();
  const notice = useLoaderData<typeof loader>();
  const foreign = notice.lang !== lang ? notice.lang : undefined;
  return (
    <article className="page notice-detail">
      <h1 lang={foreign}>{userText(notice.title)}</h1>
      <dl className="meta-list">
        <div>
          <dt>{t('detail.from')}</dt>
          <dd>{t(`sender.${notice.sender}`)}</dd>
        </div>
        <div>
          <dt>{t('detail.date')}</dt>
          <dd>
            <time dateTime={notice.iso}>{notice.date}</time>
          </dd>
        </div>
      </dl>
      <div className="notice-body" lang={foreign}>
        <MarkdownTokens tokens={notice.body} locale={lang === 'en' ? 'en' : 'ja'} />
      </div>
      <p>
        <Link to={`/${lang}/notices`}>{t('detail.back')}</Link>
      </p>
    </article>
  );
}
