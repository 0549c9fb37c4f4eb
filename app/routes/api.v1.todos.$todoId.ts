import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';
import { TodoPatch } from '../api/api.schema.ts';
import { todoView } from '../api/views.server.ts';
import { findTodo, setTodoStatus } from '../todos/todo.service.server.ts';

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET', 'PATCH']);
  const access = await requireAppToken(request, context);
  const todo = await findTodo(context.db, access.residentId, params.todoId ?? '', new Date());
  if (!todo) throw problem(request, 'not_found');
  const view = todoView(todo, apiLocale(request));
  return inLanguage(json(view), view.lang);
}

/** PATCH {status: done|dismissed}: closes an open to-do; repeating it changes nothing. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  allowMethods(request, ['GET', 'PATCH']);
  const access = await requireAppToken(request, context);
  const body = await parseBody(request, TodoPatch);
  const result = await setTodoStatus(
    context.db,
    {
      actorType: 'app',
      actorId: access.clientId,
      onBehalfOfResidentId: access.residentId,
      ip: context.clientIp,
    },
    access.residentId,
    params.todoId ?? '',
    body.status,
  );
  if (result.outcome === 'not_found') throw problem(request, 'not_found');
  const todo = await findTodo(context.db, access.residentId, result.todo.id, new Date());
  const view = todoView(todo!, apiLocale(request));
  return inLanguage(json(view), view.lang);
}
