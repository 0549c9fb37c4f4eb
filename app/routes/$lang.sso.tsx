import { data, redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { consumeSsoTicket } from '../api/sso.service.server.ts';
import { completeSignIn, ensureResidentAccount } from '../identity/identity.service.server.ts';
import { returnPath } from '../platform/links.ts';

export const handle: RouteHandle = { title: 'api:sso.title', i18n: ['api'] };

/** The app's hand-off: a one-time ticket signs the resident in and opens the requested page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ticket = new URL(request.url).searchParams.get('ticket') ?? '';
  const result = await consumeSsoTicket(context.db, ticket, context.clientIp);
  if (result.outcome !== 'ok') {
    return data({ reason: result.outcome }, { status: result.outcome === 'invalid' ? 400 : 410 });
  }
  // Checked again on the way out (a ticket may predate the rule), and before the old
  // session is replaced, so that nothing after that can fail.
  const to = returnPath(result.path, `/${params.lang}/my`);
  const account = await ensureResidentAccount(context.db, result.residentId);
  const cookie = await completeSignIn(
    context,
    request,
    { accountId: account.id, kind: 'resident' },
    'passkey',
  );
  return redirect(to, { headers: { 'Set-Cookie': cookie } });
}

export default function SsoFailed() {
  const { t } = useTranslation('api');
  const { lang } = useParams();
  const { reason } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t('sso.title')}</h1>
      <p>{t(`sso.${reason}`)}</p>
      <p>
        <Link to={`/${lang}/sign-in`}>{t('sso.signIn')}</Link>
      </p>
    </div>
  );
}
