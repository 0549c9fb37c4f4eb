import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods } from '../api/request.server.ts';
import { linkCreatedAt, unlinkByApp } from '../api/link.service.server.ts';
import { apiLocale, inLanguage } from '../api/problem.server.ts';

/** GET: who this token speaks for (the PPID). DELETE: the app ends its link (連携停止). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET', 'DELETE']);
  const access = await requireAppToken(request, context);
  const linkedAt = await linkCreatedAt(context.db, access.linkId);
  return inLanguage(
    json({
      subject: access.ppid,
      client_id: access.clientId,
      linked_at: linkedAt.toISOString(),
    }),
    apiLocale(request),
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['GET', 'DELETE']);
  const access = await requireAppToken(request, context);
  await unlinkByApp(context.db, access, context.clientIp);
  return new Response(null, { status: 204 });
}
