import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { allowMethods } from '../api/request.server.ts';
import { statusListResponse } from '../credentials/status-list-http.server.ts';

/**
 * A Token Status List as a signed CWT (application/statuslist+cwt), at the URI every mdoc's
 * MSO references (decision 0060). Public: any verifier fetches it.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return statusListResponse(request, context, params.listId ?? '');
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
