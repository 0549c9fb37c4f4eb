import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { PasskeyForm } from '../ui/passkey.tsx';
import type { RouteHandle } from '../ui/title.ts';
import {
  acceptStaffInvitation,
  findOpenInvitation,
  prepareInvitedAccount,
} from '../identity/staff-invitation.service.server.ts';
import { beginRegistration, finishPostedRegistration } from '../identity/passkeys.server.ts';
import { completeSignIn, rpFor } from '../identity/identity.service.server.ts';

export const handle: RouteHandle = { title: 'admin:accept.title', i18n: ['identity', 'admin'] };

/** A staff invitation link: register a passkey, then the account exists and is signed in. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const found = await findOpenInvitation(context.db, token);
  if (found.status !== 'open') return data({ open: false as const }, { status: 410 });
  const accountId = await prepareInvitedAccount(context.db, found.invitation);
  const { challengeId, options } = await beginRegistration(context.db, rpFor(context), accountId, {
    invitationId: found.invitation.id,
  });
  return {
    open: true as const,
    name: found.invitation.displayName,
    email: found.invitation.email,
    challengeId,
    options,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const created = await finishPostedRegistration(
    context.db,
    rpFor(context),
    await request.formData(),
    'Staff passkey',
  );
  if (!created.ok) return data({ error: created.error }, { status: 400 });
  const invitationId = String(created.context.invitationId ?? '');
  if (!(await acceptStaffInvitation(context.db, invitationId, created.accountId, context.clientIp)))
    return data({ error: 'expired' as const }, { status: 410 });
  const cookie = await completeSignIn(
    context,
    request,
    { accountId: created.accountId, kind: 'staff' },
    'staff_enrolment',
  );
  return redirect(`/${params.lang}/admin`, { headers: { 'Set-Cookie': cookie } });
}

export default function AcceptInvitation() {
  const { t } = useTranslation('admin');
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>{t('accept.title')}</h1>
      {!loaded.open ? (
        <p>{t('accept.invalid')}</p>
      ) : (
        <>
          {result?.error ? (
            <div className="error-summary" role="alert">
              <p>{t(`identity:passkeyErrors.${result.error}`)}</p>
            </div>
          ) : null}
          <p>{t('accept.lead', { name: loaded.name, email: loaded.email })}</p>
          <PasskeyForm
            mode="register"
            options={loaded.options}
            challengeId={loaded.challengeId}
            intent="register"
            buttonLabel={t('accept.button')}
          />
        </>
      )}
    </div>
  );
}
