import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { grantConsent, liveLinksOfResident } from '../api/link.service.server.ts';
import { findClient } from '../api/client.service.server.ts';
import { acceptableRedirect, AuthorizeQuery } from '../api/client.schema.server.ts';
import { userText } from '../ui/user-text.ts';

export const handle: RouteHandle = { title: 'api:authorize.title', i18n: ['api'] };

/**
 * Account linking (アカウント連携): the app opens this page; the resident signs in with a
 * passkey (and comes back), sees which app asks, and agrees. The redirect URI must be one the
 * client registered, exactly — otherwise nothing is sent anywhere.
 */
async function readRequest(request: Request, context: LoaderFunctionArgs['context']) {
  const parsed = AuthorizeQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return { error: 'invalid_request' as const };
  const client = await findClient(context.db, parsed.data.client_id);
  // Registered, and still acceptable by today's rule (a client may predate it).
  const uri = parsed.data.redirect_uri;
  if (!client || !client.redirectUris.includes(uri) || !acceptableRedirect(uri))
    return { error: 'invalid_client' as const };
  // Nothing is sent to the app: staff stopped it, the resident is told so here.
  if (client.disabledAt) return { error: 'client_disabled' as const };
  return { query: parsed.data, client };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const read = await readRequest(request, context);
  if ('error' in read) return data({ error: read.error }, { status: 400 });
  // One device per resident and client: only this client's current device is replaced.
  const [current] = await liveLinksOfResident(context.db, access.residentId, read.client.id);
  return {
    error: null,
    clientName: read.client.name,
    replaces: current ? (current.deviceName ?? current.clientName) : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const read = await readRequest(request, context);
  if ('error' in read) return data({ error: read.error }, { status: 400 });
  const form = await request.formData();
  const target = new URL(read.query.redirect_uri);
  if (read.query.state) target.searchParams.set('state', read.query.state);
  // RFC 9207: who answers, so that an app talking to several servers cannot be mixed up.
  target.searchParams.set('iss', context.env.publicOrigin);
  if (form.get('intent') !== 'allow') {
    target.searchParams.set('error', 'access_denied');
    return { returnTo: target.href, code: null };
  }
  const code = await grantConsent(context.db, access.actor, {
    clientId: read.client.id,
    residentId: access.residentId,
    redirectUri: read.query.redirect_uri,
    codeChallenge: read.query.code_challenge,
    deviceName: read.query.device_name ?? null,
  });
  target.searchParams.set('code', code);
  return { returnTo: target.href, code };
}

export default function Authorize() {
  const { t } = useTranslation('api');
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error =
    (result && 'error' in result && result.error) || ('clientName' in loaded ? null : loaded.error);
  if (error || !('clientName' in loaded)) {
    return (
      <div className="page page--narrow">
        <h1>{t('authorize.title')}</h1>
        <p data-testid="authorize-error">
          {error === 'client_disabled' ? t('authorize.clientDisabled') : t('authorize.invalid')}
        </p>
      </div>
    );
  }
  if (result && 'returnTo' in result) {
    // The app's address may be another origin or an app scheme: a link (and an automatic
    // refresh) hands over, since a form's redirect to it would be blocked by our CSP.
    return (
      <div className="page page--narrow">
        <h1>{t('authorize.title')}</h1>
        <meta httpEquiv="refresh" content={`0;url=${result.returnTo}`} />
        <p>{result.code ? t('authorize.done') : t('authorize.denied')}</p>
        <p>
          <a className="button button--primary" href={result.returnTo} data-testid="return-to-app">
            {t('authorize.back')}
          </a>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{t('authorize.title')}</h1>
      <p>{t('authorize.lead', { client: userText(loaded.clientName) })}</p>
      <ul>
        <li>{t('authorize.scopeNotices')}</li>
        <li>{t('authorize.scopeTodos')}</li>
        <li>{t('authorize.scopeInsurance')}</li>
        <li>{t('authorize.scopeCredential')}</li>
      </ul>
      {loaded.replaces ? (
        <p className="notice notice--warning">
          {t('authorize.replaces', { device: loaded.replaces })}
        </p>
      ) : null}
      <Form method="post" className="button-row">
        <button type="submit" name="intent" value="allow" className="button button--primary">
          {t('authorize.allow')}
        </button>
        <button type="submit" name="intent" value="deny" className="button button--secondary">
          {t('authorize.deny')}
        </button>
      </Form>
    </div>
  );
}
