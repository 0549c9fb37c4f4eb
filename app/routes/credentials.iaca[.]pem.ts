import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { allowMethods } from '../api/request.server.ts';
import { iacaCertificateResponse } from '../credentials/iaca-publication.server.ts';

/** The issuer's IACA root certificate (PEM) for mdoc verifiers (decision 0057). */
export function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return iacaCertificateResponse(request, context.env, 'pem');
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
