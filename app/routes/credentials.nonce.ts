import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { nonceKey } from '../credentials/c-nonce.server.ts';
import { newNonce } from '../credentials/issuance.service.server.ts';
import { jsonNoStore, vciEndpoint } from '../credentials/vci-http.server.ts';

/** OpenID4VCI 1.0 §7: a fresh c_nonce (sealed, not stored; used once; 5 minutes). */
export function loader({ request }: LoaderFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => new Response(null));
}

export function action({ request, context }: ActionFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => {
    const { nonce } = newNonce(nonceKey(context.secrets));
    return jsonNoStore({ c_nonce: nonce });
  });
}
