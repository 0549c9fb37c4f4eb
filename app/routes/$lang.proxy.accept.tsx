import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { PasskeyForm } from '../ui/passkey.tsx';
import { acceptGrant, findGrantByInvitation } from '../identity/proxies.server.ts';
import { beginRegistration, finishPostedRegistration } from '../identity/passkeys.server.ts';
import { completeSignIn, rpFor } from '../identity/identity.service.server.ts';

export const handle: RouteHandle = { title: 'identity:proxy.acceptTitle', i18n: ['identity'] };

/**
 * The link a resident gave their proxy: the proxy registers their own passkey (a new proxy
 * account is created only when it succeeds) and the grant is bound to it, once.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const found = await findGrantByInvitation(context.db, token);
  if (found.status !== 'open') return data({ open: false as const }, { status: 410 });
  const { grant } = found;
  const { challengeId, options } = await beginRegistration(
    context.db,
    rpFor(context),
    { newAccount: { kind: 'proxy', displayName: grant.proxyName } },
    { grantId: grant.id },
  );
  return {
    open: true as const,
    resident: grant.residentName,
    proxy: grant.proxyName,
    scopes: grant.scopes,
    challengeId,
    options,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const created = await finishPostedRegistration(
    context.db,
    rpFor(context),
    await request.formData(),
    'Proxy passkey',
  );
  if (!created.ok) return data({ error: created.error }, { status: 400 });
  const grantId = String(created.context.grantId ?? '');
  const residentId = await acceptGrant(context.db, grantId, created.accountId, context.clientIp);
  if (!residentId) return data({ error: 'expired' as const }, { status: 410 });
  const cookie = await completeSignIn(
    context,
    request,
    { accountId: created.accountId, kind: 'proxy' },
    'proxy_enrolment',
  );
  return redirect(`/${params.lang}/proxy`, { headers: { 'Set-Cookie': cookie } });
}

export default function AcceptProxy() {
  const { t } = useTranslation('identity');
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>{t('proxy.acceptTitle')}</h1>
      {!loaded.open ? (
        <p>{t('proxy.invitationInvalid')}</p>
      ) : (
        <>
          {result?.error ? (
            <div className="error-summary" role="alert">
              <p>{t(`passkeyErrors.${result.error}`)}</p>
            </div>
          ) : null}
          <p>{t('proxy.acceptLead', { resident: loaded.resident, proxy: loaded.proxy })}</p>
          <ul>
            {loaded.scopes.map((s) => (
              <li key={s}>{t(`proxies.scope.${s}`)}</li>
            ))}
          </ul>
          <PasskeyForm
            mode="register"
            options={loaded.options}
            challengeId={loaded.challengeId}
            intent="register"
            buttonLabel={t('proxy.acceptButton')}
          />
        </>
      )}
    </div>
  );
}
