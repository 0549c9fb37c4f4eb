import type { LoaderFunctionArgs } from '@remix-run/node';
import { jsonWithEtag, requireAppToken } from '../api/guard.server.ts';
import { allowMethods } from '../api/request.server.ts';
import { apiLocale, inLanguage } from '../api/problem.server.ts';
import { todoView } from '../api/views.server.ts';
import { listTodos } from '../todos/todo.service.server.ts';
import { catchUpPickupTodo } from '../reservations/portal-booking.service.server.ts';

export async function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  const access = await requireAppToken(request, context);
  const locale = apiLocale(request);
  await catchUpPickupTodo(context.db, access.residentId);
  const todos = await listTodos(context.db, access.residentId, new Date());
  return inLanguage(
    await jsonWithEtag(request, { items: todos.map((t) => todoView(t, locale)) }),
    locale,
  );
}

export function action({ request }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
