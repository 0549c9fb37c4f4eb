import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { openApiDocument } from '../api/openapi.server.ts';
import { allowMethods } from '../api/request.server.ts';

export function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return Response.json(openApiDocument(context.env.publicOrigin), {
    // The document's descriptions are in English.
    headers: { 'Cache-Control': 'public, max-age=300', 'Content-Language': 'en' },
  });
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
