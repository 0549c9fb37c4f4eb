import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { notify } from '../credentials/issuance.service.server.ts';
import { vciBody, vciCaller, vciEndpoint } from '../credentials/vci-http.server.ts';
import { NotificationRequest } from '../credentials/vci.schema.ts';

/** OpenID4VCI 1.0 §11: the app says it kept, failed to keep or deleted the credentials. */
export function loader({ request }: LoaderFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => new Response(null));
}

export function action({ request, context }: ActionFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => {
    const caller = await vciCaller(request, context);
    const body = await vciBody(request, NotificationRequest, 'invalid_notification_request');
    await notify(context.db, caller, body);
    return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  });
}
