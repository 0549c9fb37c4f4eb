import { useEffect } from 'react';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { PasskeyForm } from '../ui/passkey.tsx';
import { Notice } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { signInPage, signInWithPasskey } from '../identity/sign-in.server.ts';
import { sessionEndNotice } from '../identity/session.server.ts';
import { clearAllDrafts } from '../ui/form-draft-store.ts';

export const handle: RouteHandle = { title: 'identity:signIn.title', i18n: ['identity'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await signInPage(request, context, `/${params.lang}/my`);
  return { ...page, ended: sessionEndNotice(request, 'resident') };
}

export function action({ request, params, context }: ActionFunctionArgs) {
  return signInWithPasskey(request, context, {
    allowedKinds: ['resident', 'proxy'],
    fallback: (kind) => (kind === 'proxy' ? `/${params.lang}/proxy` : `/${params.lang}/my`),
    auditAction: 'auth.sign_in',
  });
}

export default function SignIn() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const { challengeId, options, redirectTo, signedOut, ended } = useLoaderData<typeof loader>();
  useEffect(() => {
    if (signedOut) clearAllDrafts(); // signed out on purpose: nothing typed stays behind
  }, [signedOut]);
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>{t('signIn.title')}</h1>
      {signedOut ? <Notice>{t('signIn.signedOut')}</Notice> : null}
      {ended ? <Notice tone="info">{t(`session:ended.${ended.reason}`, ended)}</Notice> : null}
      {result?.error ? (
        <div className="error-summary" role="alert">
          <p>{t(`passkeyErrors.${result.error}`)}</p>
        </div>
      ) : null}
      <p>{t('signIn.lead')}</p>
      <PasskeyForm
        mode="authenticate"
        autofill={!result?.error}
        options={options}
        challengeId={challengeId}
        intent="sign-in"
        buttonLabel={t('signIn.button')}
        hidden={{ redirectTo }}
      />
      <p>{t('signIn.noPasskey')}</p>
      <p>
        <Link to={`/${lang}/first-access`}>{t('signIn.firstAccessLink')}</Link>
      </p>
      <p>
        <Link to={`/${lang}/admin/sign-in`}>{t('signIn.staffLink')}</Link>
      </p>
    </div>
  );
}
