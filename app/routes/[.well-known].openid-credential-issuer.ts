import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { allowMethods } from '../api/request.server.ts';
import { credentialIssuerMetadata } from '../credentials/issuer-metadata.server.ts';

/** OpenID4VCI Credential Issuer Metadata (decision 0059): public, cacheable for an hour. */
export function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return new Response(JSON.stringify(credentialIssuerMetadata(context.env)), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'Access-Control-Allow-Origin': '*',
    },
  });
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
