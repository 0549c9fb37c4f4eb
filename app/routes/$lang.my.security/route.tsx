import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireAccount } from '../../identity/guards.server.ts';
import { beginRegistration, listPasskeys, PasskeyError } from '../../identity/passkeys.server.ts';
import { clearSessionCookie, recentSessions } from '../../identity/session.server.ts';
import {
  addOwnPasskey,
  removeOwnPasskey,
  renameOwnPasskey,
  signOutEverywhere,
} from '../../identity/account-security.service.server.ts';
import { rpFor, secureCookies } from '../../identity/identity.service.server.ts';
import { PasskeyNameSchema } from '../../identity/identity.schema.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { AddPasskeyForm } from './add-passkey-form.tsx';
import { PasskeysTable, RemovePasskeyPanel } from './passkeys-table.tsx';
import { SessionsTable } from './sessions-table.tsx';
import { SignOutEverywherePanel } from './sign-out-everywhere.tsx';

export const handle: RouteHandle = { title: 'identity:security.title', i18n: ['identity'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireAccount(request, context);
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const [passkeys, sessions, registration] = await Promise.all([
    listPasskeys(context.db, session.accountId),
    recentSessions(context.db, session.accountId),
    beginRegistration(context.db, rpFor(context), session.accountId, { purpose: 'add' }),
  ]);
  const now = new Date();
  return {
    passkeys: passkeys.map((p) => ({
      id: p.id,
      name: p.name,
      created: formatDateTime(p.createdAt, locale),
      lastUsed: p.lastUsedAt ? formatDateTime(p.lastUsedAt, locale) : null,
      synced: p.backedUp,
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      signedIn: formatDateTime(s.createdAt, locale),
      lastSeen: formatDateTime(s.lastSeenAt, locale),
      ip: s.ip,
      userAgent: s.userAgent ? summariseUserAgent(s.userAgent) : '',
      current: s.id === session.id,
      active: !s.revokedAt && s.idleExpiresAt > now && s.absoluteExpiresAt > now,
    })),
    registration,
  };
}

function summariseUserAgent(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return [browser, os].filter(Boolean).join(' / ');
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireAccount(request, context);
  const form = await request.formData();
  const intent = form.get('intent');
  const owner = {
    actorType: session.kind,
    actorId: session.accountId,
    onBehalfOfResidentId: null,
    ip: context.clientIp,
  };

  if (intent === 'rename') {
    const id = String(form.get('passkeyId') ?? '');
    const name = PasskeyNameSchema.safeParse(form.get('name'));
    if (!name.success)
      return data({ error: 'nameRequired' as const, passkeyId: id }, { status: 400 });
    if (!(await renameOwnPasskey(context.db, owner, id, name.data)))
      throw new Response('Not Found', { status: 404 });
    return { done: 'renamed' as const };
  }
  if (intent === 'remove') {
    const id = String(form.get('passkeyId') ?? '');
    const name = String(form.get('name') ?? '');
    const outcome = await removeOwnPasskey(context.db, owner, id);
    if (outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (outcome === 'last') return data({ error: 'lastPasskey' as const }, { status: 409 });
    return { done: 'removed' as const, name };
  }
  if (intent === 'add') {
    const response = String(form.get('response') ?? '');
    if (!response) return data({ error: 'missing' as const }, { status: 400 });
    try {
      await addOwnPasskey(context.db, rpFor(context), owner, {
        challengeId: String(form.get('challengeId') ?? ''),
        response,
        name: String(form.get('passkeyName') ?? ''),
      });
      return { done: 'added' as const };
    } catch (error) {
      if (!(error instanceof PasskeyError) && !(error instanceof SyntaxError)) throw error;
      const reason = error instanceof PasskeyError ? error.reason : 'invalid';
      return data({ error: reason }, { status: 400 });
    }
  }
  if (intent === 'sign-out-everywhere') {
    await signOutEverywhere(context.db, owner);
    return redirect(`/${params.lang}/sign-in?signedOut=1`, {
      headers: { 'Set-Cookie': clearSessionCookie(secureCookies(context)) },
    });
  }
  return data({ error: 'invalid' as const }, { status: 400 });
}

export default function Security() {
  const { t } = useTranslation('identity');
  const result = useActionData<typeof action>();
  const error = result && 'error' in result ? result.error : null;
  const errorText =
    error === 'lastPasskey'
      ? t('security.lastPasskey')
      : error === 'nameRequired'
        ? t('security.nameRequired')
        : error
          ? t(`passkeyErrors.${error}`)
          : null;

  return (
    <div className="page">
      <h1>{t('security.title')}</h1>
      {result && 'done' in result ? (
        <Notice>
          {result.done === 'removed'
            ? t('security.removed', { name: result.name })
            : t(`security.${result.done}`)}
        </Notice>
      ) : null}
      {errorText ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{errorText}</p>
        </div>
      ) : null}

      <h2>{t('security.passkeys')}</h2>
      <RemovePasskeyPanel />
      <PasskeysTable />

      <AddPasskeyForm />

      <h2>{t('security.recent')}</h2>
      <SessionsTable />

      <SignOutEverywherePanel />
    </div>
  );
}
