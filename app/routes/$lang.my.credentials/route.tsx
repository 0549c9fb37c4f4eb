import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { requireResidentAccess } from '../../identity/guards.server.ts';
import {
  credentialsOfResident,
  revokeCredentials,
} from '../../credentials/revocation.service.server.ts';
import { ResidentWithdrawSchema } from '../../credentials/revocation.schema.server.ts';
import { credentialView } from '../../credentials/revocation.ts';
import { isLocale } from '../../i18n/locales.ts';
import { Notice } from '../../ui/form.tsx';
import { CredentialCard } from './credential-card.tsx';

export const handle: RouteHandle = { title: 'credentials:my.title', i18n: ['credentials'] };

/**
 * "Card data on your phones": the credentials apps received for the resident, each of which
 * the resident can withdraw (a lost phone) after a confirmation (?confirm=<id>). The resident
 * alone: a proxy gets 403, like the linked-app page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const rows = await credentialsOfResident(context.db, access.residentId);
  return {
    credentials: rows.map((c) => credentialView(c, locale, now)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const submission = parseWithZod(await request.formData(), { schema: ResidentWithdrawSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), done: null }, { status: 400 });
  const done = await revokeCredentials(
    context.db,
    access.actor,
    {
      residentId: access.residentId,
      credentials: { ids: [submission.value.credentialId] },
      reason: submission.value.reason,
    },
    { boss: context.boss },
  );
  if (done.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  return { result: submission.reply({ resetForm: true }), done: done.outcome };
}

export default function MyCredentials() {
  const { t } = useTranslation('credentials');
  const { credentials } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { search } = useLocation();
  const failed = answer && !answer.done;
  const asked = failed
    ? String(answer.result.initialValue?.credentialId ?? '')
    : answer?.done
      ? null
      : new URLSearchParams(search).get('confirm');
  return (
    <div className="page">
      <h1>{t('my.title')}</h1>
      <p>{t('my.lead')}</p>
      {answer?.done ? (
        <Notice focusKey={answer} tone={answer.done === 'revoked' ? 'success' : 'info'}>
          <p>{answer.done === 'revoked' ? t('my.done') : t('my.already')}</p>
        </Notice>
      ) : null}
      {credentials.length === 0 ? <p>{t('my.none')}</p> : null}
      {credentials.map((c) => (
        <CredentialCard
          key={c.id}
          credential={c}
          several={credentials.length > 1}
          confirming={c.state === 'active' && asked === c.id}
        />
      ))}
    </div>
  );
}
