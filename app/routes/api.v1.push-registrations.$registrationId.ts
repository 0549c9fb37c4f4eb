import type { ActionFunctionArgs } from '@remix-run/node';
import { requireAppToken } from '../api/guard.server.ts';
import { allowMethods } from '../api/request.server.ts';
import { problem } from '../api/problem.server.ts';
import { unregisterPush } from '../api/push-registration.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['DELETE']);
  return null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  allowMethods(request, ['DELETE']);
  const access = await requireAppToken(request, context);
  if (!(await unregisterPush(context.db, access.residentId, params.registrationId ?? '')))
    throw problem(request, 'not_found');
  return new Response(null, { status: 204 });
}
