import type { ActionFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { PushRegistrationRequest } from '../api/api.schema.ts';
import {
  MAX_DEVICES_PER_RESIDENT,
  registerPush,
  TooManyDevices,
} from '../api/push-registration.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';

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
  }).catch((error: unknown) => {
    if (!(error instanceof TooManyDevices)) throw error;
    throw problem(request, 'validation', {
      errors: [
        {
          field: '(body)',
          message: `already ${MAX_DEVICES_PER_RESIDENT} devices registered: delete one first`,
        },
      ],
    });
  });
  return inLanguage(
    json(created, 201, { Location: `/api/v1/push-registrations/${created.id}` }),
    apiLocale(request),
  );
}
