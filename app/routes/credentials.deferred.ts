import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { collectDeferred } from '../credentials/issuance.service.server.ts';
import { issuanceAnswer, vciBody, vciCaller, vciEndpoint } from '../credentials/vci-http.server.ts';
import { DeferredCredentialRequest } from '../credentials/vci.schema.ts';

/** OpenID4VCI 1.0 §9: the credentials of a transaction_id, or 202 with an interval while pending. */
export function loader({ request }: LoaderFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => new Response(null));
}

export function action({ request, context }: ActionFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => {
    const caller = await vciCaller(request, context);
    const body = await vciBody(request, DeferredCredentialRequest, 'invalid_credential_request');
    const collected = await collectDeferred(context.db, caller, body.transaction_id);
    return issuanceAnswer(collected, body.transaction_id);
  });
}
