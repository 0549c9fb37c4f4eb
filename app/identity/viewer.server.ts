import type { AppContext } from '../context.ts';
import { getSession } from './guards.server.ts';
import { residentName } from './identity.service.server.ts';
import { sha256 } from './crypto.server.ts';
import { sessionClock } from './session.server.ts';

/** Who is looking at the page, for the header, the proxy banner and the session-timeout warning. */
export async function viewerOf(request: Request, context: Pick<AppContext, 'db'>) {
  const session = await getSession(request, context);
  if (!session) return null;
  const actingFor =
    session.kind === 'proxy' && session.actingForResidentId
      ? ((await residentName(context.db, session.actingForResidentId)) ?? null)
      : null;
  return {
    kind: session.kind,
    name: session.displayName,
    actingFor,
    session: sessionClock(session),
    // Form drafts in the browser are kept under this name: one person's draft (or a proxy's
    // draft for one resident) is never offered to the next person at the same browser.
    draftScope: sha256(`${session.accountId}:${session.actingForResidentId ?? ''}`)
      .toString('base64url')
      .slice(0, 16),
  };
}
