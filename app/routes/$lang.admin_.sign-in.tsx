import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PasskeyForm } from '../ui/passkey.tsx';
import { Notice } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import {
  beginAuthentication,
  finishAuthentication,
  PasskeyError,
} from '../identity/passkeys.server.ts';
import { completeSignIn, rpFor } from '../identity/identity.service.server.ts';
import { safeRedirectPath } from '../identity/guards.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';

export const handle: RouteHandle = { title: 'identity:staffSignIn.title' };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { challengeId, options } = await beginAuthentication(context.db, rpFor(context));
  return {
    challengeId,
    options,
    redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'), `/${params.lang}/admin`),
    signedOut: url.searchParams.has('signedOut'),
  };
}

/** Staff sign in with their own passkeys; a resident's passkey is refused here. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const response = String(form.get('response') ?? '');
  if (!response) return data({ error: 'missing' as const }, { status: 400 });
  try {
    const account = await finishAuthentication(context.db, rpFor(context), {
      challengeId: String(form.get('challengeId') ?? ''),
      response: JSON.parse(response) as unknown,
      allowedKinds: ['staff'],
    });
    const cookie = await completeSignIn(context, request, account, 'passkey');
    return redirect(safeRedirectPath(form.get('redirectTo'), `/${params.lang}/admin`), {
      headers: { 'Set-Cookie': cookie },
    });
  } catch (error) {
    const reason =
      error instanceof PasskeyError
        ? error.reason
        : error instanceof SyntaxError
          ? 'invalid'
          : null;
    if (!reason) throw error;
    await recordAudit(context.db, {
      actorType: 'anonymous',
      action: 'auth.staff_sign_in',
      outcome: 'failure',
      ip: context.clientIp,
      details: { reason },
    });
    return data({ error: reason }, { status: 400 });
  }
}

export default function StaffSignIn() {
  const { t } = useTranslation('identity');
  const { challengeId, options, redirectTo, signedOut } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>{t('staffSignIn.title')}</h1>
      {signedOut ? <Notice>{t('signIn.signedOut')}</Notice> : null}
      {result?.error ? (
        <div className="error-summary" role="alert">
          <p>{t(`passkeyErrors.${result.error}`)}</p>
        </div>
      ) : null}
      <p>{t('staffSignIn.lead')}</p>
      <PasskeyForm
        mode="authenticate"
        autofill={!result?.error}
        options={options}
        challengeId={challengeId}
        intent="sign-in"
        buttonLabel={t('signIn.button')}
        hidden={{ redirectTo }}
      />
    </div>
  );
}
