import type { AppContext } from '../context.ts';
import { getSession } from './guards.server.ts';
import { residentName } from './identity.service.server.ts';

/** Who is looking at the page, for the header and the proxy banner. */
export async function viewerOf(request: Request, context: Pick<AppContext, 'db'>) {
  const session = await getSession(request, context);
  if (!session) return null;
  const actingFor =
    session.kind === 'proxy' && session.actingForResidentId
      ? ((await residentName(context.db, session.actingForResidentId)) ?? null)
      : null;
  return { kind: session.kind, name: session.displayName, actingFor };
}
