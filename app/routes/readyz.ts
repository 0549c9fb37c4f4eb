import type { LoaderFunctionArgs } from '@remix-run/node';

/** Readiness: database reachable, migrations current, queue running. 503 when any is not. */
export async function loader({ context }: LoaderFunctionArgs) {
  const readiness = await context.readiness();
  return Response.json(
    { status: readiness.ok ? 'ready' : 'not ready', ...readiness.checks },
    { status: readiness.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
