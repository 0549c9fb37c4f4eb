import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { Notice } from '../ui/form.tsx';
import { requireAccount } from '../identity/guards.server.ts';
import { actForResident, activeGrantFor, grantsOfProxy } from '../identity/proxies.server.ts';
import { sessionCookie } from '../identity/session.server.ts';
import { secureCookies } from '../identity/identity.service.server.ts';
import { formatDate } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { isUuid } from '../platform/ids.ts';
import { userText } from '../ui/user-text.ts';

export const handle: RouteHandle = { title: 'identity:proxy.title', i18n: ['identity'] };

async function requireProxy(request: Request, context: LoaderFunctionArgs['context']) {
  const session = await requireAccount(request, context);
  if (session.kind !== 'proxy') throw new Response('Forbidden', { status: 403 });
  return session;
}

/** A proxy's own page: whom they may act for, and the switch between acting and not. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireProxy(request, context);
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const grants = await grantsOfProxy(context.db, session.accountId);
  return {
    grants: grants.map((g) => ({
      id: g.id,
      name: g.name,
      until: formatDate(new Date(g.endsAt.getTime() - 1), locale),
    })),
    acting: session.actingForResidentId !== null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireProxy(request, context);
  const form = await request.formData();
  const secure = secureCookies(context);
  if (form.get('intent') === 'stop') {
    const token = await actForResident(context.db, session, null, context.clientIp);
    return redirect(`/${params.lang}/proxy?stopped=1`, {
      headers: { 'Set-Cookie': sessionCookie(token, 'proxy', secure) },
    });
  }
  const grantId = String(form.get('grantId') ?? '');
  const grant = isUuid(grantId)
    ? await activeGrantFor(context.db, grantId, session.accountId)
    : undefined;
  if (!grant) throw new Response('Forbidden', { status: 403 });
  // Acting for someone is a privilege change: the session id rotates.
  const token = await actForResident(context.db, session, grant, context.clientIp);
  return redirect(`/${params.lang}/my`, {
    headers: { 'Set-Cookie': sessionCookie(token, 'proxy', secure) },
  });
}

export default function ProxyHome() {
  const { t } = useTranslation('identity');
  const [search] = useSearchParams();
  const { grants } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t('proxy.title')}</h1>
      {search.has('ended') ? <Notice tone="warning">{t('proxy.ended')}</Notice> : null}
      {search.has('stopped') ? <Notice>{t('proxy.stopped')}</Notice> : null}
      {grants.length === 0 ? (
        <p>{t('proxy.none')}</p>
      ) : (
        <>
          <p>{t('proxy.lead')}</p>
          <ul className="action-list">
            {grants.map((g) => (
              <li key={g.id}>
                <Form method="post">
                  <input type="hidden" name="intent" value="act" />
                  <input type="hidden" name="grantId" value={g.id} />
                  <button type="submit" className="button button--primary">
                    {t('proxy.act', { name: userText(g.name) })}
                  </button>
                </Form>
                <p className="hint">{t('proxy.until', { date: g.until })}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
