import type { ActionFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { SsoRequest } from '../api/api.schema.ts';
import { createSsoTicket } from '../api/sso.service.server.ts';
import { inLanguage } from '../api/problem.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  return null;
}

/** SSO to the portal: a one-time URL valid for 60 seconds that signs the resident in. */
export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  const access = await requireAppToken(request, context);
  const body = await parseBody(request, SsoRequest);
  const { ticket, expiresAt } = await createSsoTicket(
    context.db,
    {
      residentId: access.residentId,
      clientId: access.clientId,
      linkId: access.linkId,
      path: body.path,
    },
    context.clientIp,
  );
  const lang = body.path.slice(1, 3) === 'en' ? 'en' : 'ja';
  const url = `${context.env.publicOrigin}/${lang}/sso?ticket=${encodeURIComponent(ticket)}`;
  // The one-time URL is what was created: Location names it too (RFC 9110 201).
  return inLanguage(
    json({ url, expires_at: expiresAt.toISOString() }, 201, { Location: url }),
    lang,
  );
}
