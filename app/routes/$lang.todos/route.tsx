import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { useActionData, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import todosStyles from '../../ui/todos.css';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireResidentAccess } from '../../identity/guards.server.ts';
import { findTodo, listTodos, setTodoStatus } from '../../todos/todo.service.server.ts';
import { catchUpPickupTodo } from '../../reservations/portal-booking.service.server.ts';
import { actionLink, pickTitle, type Todo } from '../../todos/todo.ts';
import { formatDate, formatDateBoth, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { CloseSchema } from './close.schema.server.ts';
import { ConfirmPanel } from './confirm-panel.tsx';
import { TodoList } from './todo-list.tsx';
import { userText } from '../../ui/user-text.ts';

export const handle: RouteHandle = { title: 'todos:title', i18n: ['todos'] };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: todosStyles }];

function view(todo: Todo, locale: Locale) {
  const { lang, title, description } = pickTitle(todo, locale);
  return {
    id: todo.id,
    lang,
    title,
    description,
    status: todo.status,
    state: todo.state,
    daysLeft: todo.daysLeft,
    dueSoon: todo.dueSoon,
    due: todo.dueDate ? formatDateBoth(tokyoDayStart(todo.dueDate), locale) : null,
    dueIso: todo.dueDate,
    link: actionLink(todo.actionUrl, locale),
    closedOn: todo.statusChangedAt ? formatDate(todo.statusChangedAt, locale) : null,
  };
}
export type TodoView = ReturnType<typeof view>;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, 'todos');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const search = new URL(request.url).searchParams;
  const now = new Date();
  await catchUpPickupTodo(context.db, access.residentId);
  const todos = await listTodos(context.db, access.residentId, now);
  const mine = async (id: string | null) =>
    id === null
      ? undefined
      : (todos.find((t) => t.id === id) ??
        (await findTodo(context.db, access.residentId, id, now)));

  // ?confirm=<id> asks before closing a to-do. Another resident's to-do, or none: not found.
  const confirmId = search.get('confirm');
  const toConfirm = await mine(confirmId);
  if (confirmId !== null && !toConfirm) throw new Response('Not Found', { status: 404 });
  const updated = await mine(search.get('updated'));

  const items = todos.map((t) => view(t, locale));
  return {
    open: items.filter((t) => t.status === 'open'),
    closed: items.filter((t) => t.status !== 'open'),
    confirm:
      toConfirm?.status === 'open'
        ? {
            ...view(toConfirm, locale),
            intent: search.get('intent') === 'dismiss' ? ('dismiss' as const) : ('done' as const),
          }
        : null,
    updated: updated && updated.status !== 'open' ? view(updated, locale) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireResidentAccess(request, context, 'todos');
  const parsed = CloseSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: 'invalid' as const }, { status: 400 });
  const { intent, todoId } = parsed.data;
  const result = await setTodoStatus(
    context.db,
    access.actor,
    access.residentId,
    todoId,
    intent === 'done' ? 'done' : 'dismissed',
  );
  if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  // A second submit finds the to-do already closed: nothing changed, nothing recorded.
  return redirect(`/${params.lang}/todos?updated=${todoId}`);
}

export default function Todos() {
  const { t } = useTranslation('todos');
  const { lang } = useParams();
  const { open, closed, confirm, updated } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const foreign = (itemLang: string) => (itemLang === lang ? undefined : itemLang);

  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      {updated ? (
        // The confirmation panel (and its button) is gone: continue at the result.
        <Notice focusKey={updated.id}>
          {t(updated.status === 'done' ? 'updated.done' : 'updated.dismissed')}{' '}
          <strong lang={foreign(updated.lang)}>{userText(updated.title)}</strong>
        </Notice>
      ) : null}
      {result?.error ? (
        <div className="error-summary" role="alert">
          <p>{t('error')}</p>
        </div>
      ) : null}
      {confirm ? <ConfirmPanel confirm={confirm} /> : null}

      <h2>{t('open.heading')}</h2>
      {open.length === 0 ? <p>{t('open.empty')}</p> : <TodoList items={open} />}
      {closed.length > 0 ? (
        <>
          <h2>{t('closed.heading')}</h2>
          <TodoList items={closed} />
        </>
      ) : null}
    </div>
  );
}
