import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { allowMethods } from '../api/request.server.ts';
import { apiLocale } from '../api/problem.server.ts';
import { referencePath } from '../api/openapi.server.ts';

/** /api/v1/docs, where developers look for the docs: the reference in their language. */
export function loader({ request }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return redirect(referencePath(apiLocale(request)), {
    headers: { 'Cache-Control': 'no-cache', Vary: 'Accept-Language' },
  });
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
