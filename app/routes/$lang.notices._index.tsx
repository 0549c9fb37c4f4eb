import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { inboxWithUnread } from '../notices/notice.service.server.ts';
import { decodeCursor, senders } from '../notices/notice.ts';
import { formatDate } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';

export const handle: RouteHandle = { title: 'notices:inbox.title', i18n: ['notices'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, 'notices');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const show = url.searchParams.get('show') === 'unread' ? 'unread' : 'all';
  const senderParam = url.searchParams.get('sender');
  const sender = senders.find((s) => s === senderParam) ?? null;
  const q = (url.searchParams.get('q') ?? '').slice(0, 100);
  const cursor = decodeCursor(url.searchParams.get('after'));
  const inbox = await inboxWithUnread(context.db, {
    residentId: access.residentId,
    locale,
    unreadOnly: show === 'unread',
    sender,
    search: q || null,
    cursor,
  });
  const keep = new URLSearchParams({
    ...(show === 'unread' ? { show } : {}),
    ...(sender ? { sender } : {}),
    ...(q ? { q } : {}),
  });
  return {
    filters: { show, sender, q },
    unread: inbox.unread,
    unreadAtLeast: inbox.unreadAtLeast,
    paged: cursor !== null,
    items: inbox.items.map((i) => ({
      ...i,
      date: formatDate(i.publishAt, locale),
      iso: i.publishAt.toISOString(),
    })),
    nextHref: inbox.next ? `?${new URLSearchParams([...keep, ['after', inbox.next]])}` : null,
    firstHref: `?${keep}`,
  };
}

export default function Inbox() {
  const { t } = useTranslation('notices');
  const { lang } = useParams();
  const { filters, unread, unreadAtLeast, items, nextHref, firstHref, paged } =
    useLoaderData<typeof loader>();
  const filtered = filters.show === 'unread' || filters.sender !== null || filters.q !== '';
  return (
    <div className="page">
      <h1>{t('inbox.title')}</h1>
      <p>{t(unreadAtLeast ? 'inbox.countAtLeast' : 'inbox.count', { count: unread })}</p>
      <Form method="get" className="filter-form" aria-label={t('inbox.filter')}>
        <fieldset>
          <legend>{t('inbox.show')}</legend>
          <div className="checkbox">
            <input
              type="radio"
              id="show-all"
              name="show"
              value="all"
              defaultChecked={filters.show === 'all'}
            />
            <label htmlFor="show-all">{t('inbox.all')}</label>
          </div>
          <div className="checkbox">
            <input
              type="radio"
              id="show-unread"
              name="show"
              value="unread"
              defaultChecked={filters.show === 'unread'}
            />
            <label htmlFor="show-unread">{t('inbox.unread')}</label>
          </div>
        </fieldset>
        <div className="field">
          <label className="field__label" htmlFor="sender">
            {t('inbox.sender')}
          </label>
          <select id="sender" name="sender" defaultValue={filters.sender ?? ''}>
            <option value="">{t('inbox.anySender')}</option>
            {senders.map((s) => (
              <option key={s} value={s}>
                {t(`sender.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="q">
            {t('inbox.search')}
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.q} maxLength={100} />
        </div>
        <div className="button-row">
          <button type="submit" className="button button--secondary">
            {t('inbox.apply')}
          </button>
        </div>
      </Form>

      {/* Always in the page, so "No notices match." is announced after a filter. */}
      <div role="status">
        {items.length === 0 ? (
          <p>{filtered ? t('inbox.emptyFiltered') : t('inbox.empty')}</p>
        ) : null}
      </div>
      {items.length === 0 ? null : (
        <ul className="notice-list">
          {items.map((item) => (
            <li
              key={item.id}
              className={
                item.unread ? 'notice-list__item notice-list__item--unread' : 'notice-list__item'
              }
            >
              <span className={item.unread ? 'badge badge--unread' : 'badge'}>
                {item.unread ? t('inbox.unreadMark') : t('inbox.readMark')}
              </span>
              <Link to={`/${lang}/notices/${item.id}`} className="notice-list__title">
                <span lang={item.lang === lang ? undefined : item.lang}>
                  {userText(item.title)}
                </span>
              </Link>
              <span className="notice-list__meta">
                {t(`sender.${item.sender}`)}
                {t('inbox.separator')}
                <time dateTime={item.iso}>{t('inbox.publishedOn', { date: item.date })}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
      {paged || nextHref ? (
        <nav className="pager" aria-label={t('inbox.pager')}>
          {paged ? <Link to={firstHref}>{t('inbox.first')}</Link> : null}
          {nextHref ? <Link to={nextHref}>{t('inbox.next')}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
