import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { clearSessionCookie } from '../identity/session.server.ts';
import { getSession } from '../identity/guards.server.ts';
import { secureCookies, signOut } from '../identity/identity.service.server.ts';

/** Sign-out is a POST (a link or prefetch must never sign anyone out). */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/${params.lang}/`);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  if (session) {
    await signOut(context.db, session, context.clientIp);
  }
  const to =
    session?.kind === 'staff'
      ? `/${params.lang}/admin/sign-in?signedOut=1`
      : `/${params.lang}/sign-in?signedOut=1`;
  return redirect(to, { headers: { 'Set-Cookie': clearSessionCookie(secureCookies(context)) } });
}
