import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import {
  extendSession,
  sessionClock,
  sessionStatus,
  sessionTokenFrom,
} from '../identity/session.server.ts';

/**
 * The session-timeout warning's two questions (app/ui/session-timeout.tsx). GET: how long
 * has this session left? (looking does not count as use). POST: stay signed in — the idle
 * window starts again. Cross-site POSTs never get here (app/platform/security.server.ts).
 */
const noStore = { 'Cache-Control': 'no-store' };

export async function loader({ request, context }: LoaderFunctionArgs) {
  return Response.json(await sessionStatus(context.db, sessionTokenFrom(request)), {
    headers: noStore,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    return Response.json(
      { error: 'method' },
      { status: 405, headers: { ...noStore, Allow: 'POST' } },
    );
  }
  const token = sessionTokenFrom(request);
  const session = await extendSession(context.db, token);
  if (!session) {
    // An ended session is not brought back; the page then goes to sign in with the reason.
    return Response.json(await sessionStatus(context.db, token), { status: 401, headers: noStore });
  }
  return Response.json({ signedIn: true, ...sessionClock(session) }, { headers: noStore });
}
