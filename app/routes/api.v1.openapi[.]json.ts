import type { LoaderFunctionArgs } from '@remix-run/node';
import { openApiDocument } from '../api/openapi.server.ts';

export function loader({ context }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(context.env.publicOrigin), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  });
}
