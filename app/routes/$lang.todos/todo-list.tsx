import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { TodoView } from './route.tsx';
import { userText } from '../../ui/user-text.ts';

/** The open or the closed to-dos, one card each. */
export function TodoList({ items }: { items: TodoView[] }) {
  return (
    <ul className="todo-list">
      {items.map((item) => (
        <TodoCard key={item.id} item={item} />
      ))}
    </ul>
  );
}

function TodoCard({ item }: { item: TodoView }) {
  const { t } = useTranslation('todos');
  const { lang } = useParams();
  const foreign = item.lang === lang ? undefined : item.lang;
  const titleId = `todo-${item.id}`;
  const dueNote =
    item.status !== 'open'
      ? item.closedOn
        ? t('closed.on', { date: item.closedOn })
        : null
      : item.state === 'overdue'
        ? t('due.overdue', { count: -(item.daysLeft ?? 0) })
        : item.dueSoon && item.daysLeft === 0
          ? t('due.today')
          : item.dueSoon
            ? t('due.soon', { count: item.daysLeft ?? 0 })
            : null;
  return (
    <li className={item.state === 'overdue' ? 'todo todo--overdue' : 'todo'} data-todo-id={item.id}>
      <h3 className="todo__title" id={titleId} lang={foreign}>
        {userText(item.title)}
      </h3>
      {item.description ? (
        <p className="todo__description" lang={foreign}>
          {userText(item.description)}
        </p>
      ) : null}
      <dl className="meta-list">
        <div>
          <dt>{t('status.label')}</dt>
          <dd>
            <span
              className={
                item.state === 'overdue' ? 'todo-status todo-status--overdue' : 'todo-status'
              }
            >
              {t(`status.${item.state}`)}
            </span>
            {dueNote ? <span className="todo-status__note">{dueNote}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('due.label')}</dt>
          <dd>
            {item.due && item.dueIso ? (
              <time dateTime={item.dueIso}>{item.due}</time>
            ) : (
              t('due.none')
            )}
          </dd>
        </div>
        {item.status === 'open' ? (
          <div>
            <dt>{t('where.label')}</dt>
            <dd>
              {item.link ? (
                <Link to={item.link.href} aria-describedby={titleId}>
                  {item.link.external
                    ? t('where.external', { host: item.link.host })
                    : t('where.internal')}
                </Link>
              ) : (
                t('where.none')
              )}
            </dd>
          </div>
        ) : null}
      </dl>
      {item.status === 'open' ? (
        <p className="todo__actions">
          <Link to={`?confirm=${item.id}`} className="button button--secondary">
            {t('markDone')}
            <span className="visually-hidden">
              {': '}
              <span lang={foreign}>{userText(item.title)}</span>
            </span>
          </Link>
          <Link to={`?confirm=${item.id}&intent=dismiss`}>
            {t('dismiss')}
            <span className="visually-hidden">
              {': '}
              <span lang={foreign}>{userText(item.title)}</span>
            </span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}
