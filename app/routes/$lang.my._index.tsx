import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { residentName } from '../identity/identity.service.server.ts';
import { unreadNoticeCount } from '../notices/notice.service.server.ts';
import { dueSoonTodos } from '../todos/todo.service.server.ts';
import { formatDate, tokyoDayStart } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';

export const handle: RouteHandle = { title: 'identity:my.title', i18n: ['identity'] };

/**
 * The signed-in home answers "what do I need to do, what is new": unread notices and the
 * to-dos that are overdue or due soon, each linking onward. A proxy sees what their grant allows.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const [name, unread, todos] = await Promise.all([
    residentName(context.db, access.residentId),
    access.scopes.includes('notices')
      ? unreadNoticeCount(context.db, access.residentId, now)
      : Promise.resolve(null),
    access.scopes.includes('todos')
      ? dueSoonTodos(context.db, access.residentId, now)
      : Promise.resolve(null),
  ]);
  return {
    name: name ?? '',
    viaProxy: access.viaProxy,
    scopes: access.scopes,
    unread,
    todos:
      todos?.map((todo) => {
        const foreign = locale === 'en' ? todo.titleEn === null : todo.titleJa === null;
        const lang = foreign ? (locale === 'en' ? 'ja' : 'en') : locale;
        return {
          id: todo.id,
          title: (lang === 'ja' ? todo.titleJa : todo.titleEn) ?? '',
          lang,
          state: todo.state,
          daysLeft: todo.daysLeft,
          due: todo.dueDate ? formatDate(tokyoDayStart(todo.dueDate), locale) : null,
        };
      }) ?? null,
  };
}

export default function MyPage() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const { name, viaProxy, scopes, unread, todos } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('my.title')}</h1>
      <p>{viaProxy ? t('my.actingWelcome', { name }) : t('my.welcome', { name })}</p>

      {unread !== null ? (
        <section aria-labelledby="my-notices" className="card">
          <h2 id="my-notices">{t('my.noticesHeading')}</h2>
          <p>{unread === 0 ? t('my.noUnread') : t('my.unread', { count: unread })}</p>
          <p>
            <Link to={`/${lang}/notices${unread > 0 ? '?show=unread' : ''}`}>
              {t('my.toNotices')}
            </Link>
          </p>
        </section>
      ) : null}

      {todos !== null ? (
        <section aria-labelledby="my-todos" className="card">
          <h2 id="my-todos">{t('my.todosHeading')}</h2>
          {todos.length === 0 ? (
            <p>{t('my.noTodos')}</p>
          ) : (
            <ul>
              {todos.map((todo) => (
                <li key={todo.id}>
                  <span lang={todo.lang === lang ? undefined : todo.lang}>
                    {userText(todo.title)}
                  </span>
                  {' — '}
                  <strong>
                    {todo.state === 'overdue'
                      ? t('my.overdue', { date: todo.due })
                      : todo.daysLeft === 0
                        ? t('my.dueToday')
                        : t('my.dueIn', { count: todo.daysLeft ?? 0, date: todo.due })}
                  </strong>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`/${lang}/todos`}>{t('my.toTodos')}</Link>
          </p>
        </section>
      ) : null}

      <h2>{t('my.more')}</h2>
      <ul>
        {scopes.includes('insurance') ? (
          <li>
            <Link to={`/${lang}/insurance`}>{t('my.insurance')}</Link>
          </li>
        ) : null}
        {!viaProxy ? (
          <>
            <li>
              <Link to={`/${lang}/my/security`}>{t('my.security')}</Link>
            </li>
            <li>
              <Link to={`/${lang}/my/proxies`}>{t('my.proxies')}</Link>
            </li>
            <li>
              <Link to={`/${lang}/my/app`}>{t('my.app')}</Link>
            </li>
            <li>
              <Link to={`/${lang}/my/credentials`}>{t('my.credentials')}</Link>
            </li>
            <li>
              <Link to={`/${lang}/my/notifications`}>{t('my.notifications')}</Link>
            </li>
          </>
        ) : null}
      </ul>
    </div>
  );
}
