import type { LoaderFunctionArgs } from '@remix-run/node';

/** Any unknown path inside a language: the localized 404 page (root ErrorBoundary). */
export function loader(_: LoaderFunctionArgs) {
  throw new Response('Not Found', { status: 404 });
}

export default function NotFound() {
  return null;
}
