import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { problem } from '../api/problem.server.ts';

/** Any other path under /api/ is a problem+json 404, never the portal's HTML page. */
export const loader = ({ request }: LoaderFunctionArgs) => {
  throw problem(request, 'not_found');
};
export const action = ({ request }: ActionFunctionArgs) => {
  throw problem(request, 'not_found');
};
