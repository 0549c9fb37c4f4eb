import { useEffect } from 'react';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { PasskeyForm } from '../ui/passkey.tsx';
import { Notice } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { signInPage, signInWithPasskey } from '../identity/sign-in.server.ts';
import { sessionEndNotice } from '../identity/session.server.ts';
import { clearAllDrafts } from '../ui/form-draft-store.ts';

export const handle: RouteHandle = { title: 'identity:staffSignIn.title', i18n: ['identity'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await signInPage(request, context, `/${params.lang}/admin`);
  return { ...page, ended: sessionEndNotice(request, 'staff') };
}

export function action({ request, params, context }: ActionFunctionArgs) {
  return signInWithPasskey(request, context, {
    allowedKinds: ['staff'],
    fallback: () => `/${params.lang}/admin`,
    auditAction: 'auth.staff_sign_in',
  });
}

export default function StaffSignIn() {
  const { t } = useTranslation('identity');
  const { challengeId, options, redirectTo, signedOut, ended } = useLoaderData<typeof loader>();
  useEffect(() => {
    if (signedOut) clearAllDrafts(); // signed out on purpose: nothing typed stays behind
  }, [signedOut]);
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>{t('staffSignIn.title')}</h1>
      {signedOut ? <Notice>{t('signIn.signedOut')}</Notice> : null}
      {ended ? <Notice tone="info">{t(`session:ended.${ended.reason}`, ended)}</Notice> : null}
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
