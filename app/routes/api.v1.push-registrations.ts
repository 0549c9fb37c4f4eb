import type { ActionFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { PushRegistrationRequest } from '../api/api.schema.ts';
import { registerPush } from '../api/push-registration.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  const access = await requireAppToken(request, context);
  const body = await parseBody(request, PushRegistrationRequest);
  const created = await registerPush(context.db, {
    residentId: access.residentId,
    linkId: access.linkId,
    body,
  });
  return json(created, 201, { Location: `/api/v1/push-registrations/${created.id}` });
}
