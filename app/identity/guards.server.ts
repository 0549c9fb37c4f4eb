import { redirect } from '@remix-run/node';
import type { AppContext } from '../context.ts';
import { localeFromPath } from '../i18n/negotiate.server.ts';
import { defaultLocale } from '../i18n/locales.ts';
import {
  readSession,
  sessionEndReasonFor,
  sessionTokenFrom,
  type SessionInfo,
} from './session.server.ts';
import { signInPath } from './session-end.ts';
import { proxyScopes, type Permission, type ProxyScope } from './permissions.ts';
import { permissionsOf } from './staff.service.server.ts';
import { activeGrantFor } from './proxies.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';

const cache = new WeakMap<Request, Promise<SessionInfo | null>>();

/** The request's live session, read once per request. */
export function getSession(
  request: Request,
  context: Pick<AppContext, 'db'>,
): Promise<SessionInfo | null> {
  let found = cache.get(request);
  if (!found) {
    found = readSession(context.db, sessionTokenFrom(request));
    cache.set(request, found);
  }
  return found;
}

/**
 * To the sign-in page and back here afterwards. When the cookie's session ended by itself
 * (idle or too old), the page is told which, so it can say why the person has to sign in again.
 */
async function signInRedirect(
  request: Request,
  context: Pick<AppContext, 'db'>,
  staff: boolean,
): Promise<Response> {
  const url = new URL(request.url);
  const locale = localeFromPath(url.pathname) ?? defaultLocale;
  const reason = await sessionEndReasonFor(context.db, sessionTokenFrom(request));
  return redirect(signInPath(locale, staff, url.pathname + url.search, reason));
}

type ResidentAccess = {
  session: SessionInfo;
  residentId: string;
  actor: AuditActor;
  viaProxy: boolean;
  /** What this access may reach: everything for the resident, the grant's scopes for a proxy. */
  scopes: readonly ProxyScope[];
};

/**
 * A resident acting for themselves, or a proxy acting for a resident within a live grant that
 * includes `scope` (null: any live grant). Anyone else is sent to sign in (and back); a proxy without a chosen
 * resident is sent to choose one; a grant without the scope is a 403.
 */
export async function requireResidentAccess(
  request: Request,
  context: Pick<AppContext, 'db'> & Partial<Pick<AppContext, 'clientIp'>>,
  scope: ProxyScope | null,
): Promise<ResidentAccess> {
  const session = await getSession(request, context);
  if (!session || session.kind === 'staff') throw await signInRedirect(request, context, false);
  if (session.kind === 'resident' && session.residentId) {
    return {
      session,
      residentId: session.residentId,
      viaProxy: false,
      scopes: proxyScopes,
      actor: {
        actorType: 'resident',
        actorId: session.accountId,
        onBehalfOfResidentId: session.residentId,
        ip: context.clientIp ?? null,
      },
    };
  }
  const locale = localeFromPath(new URL(request.url).pathname) ?? defaultLocale;
  if (!session.actingForResidentId || !session.proxyGrantId) throw redirect(`/${locale}/proxy`);
  const grant = await activeGrantFor(context.db, session.proxyGrantId, session.accountId);
  if (!grant) throw redirect(`/${locale}/proxy?ended=1`);
  const url = new URL(request.url);
  const record = (outcome: 'success' | 'denied') =>
    recordAudit(context.db, {
      actorType: 'proxy',
      actorId: session.accountId,
      onBehalfOfResidentId: grant.residentId,
      action: 'proxy.access',
      targetType: 'path',
      targetId: url.pathname,
      outcome,
      ip: context.clientIp ?? null,
      details: { method: request.method, scope, grantId: grant.id },
    });
  // Everything a proxy does is recorded with both identities, refusals included.
  if (scope !== null && !grant.scopes.includes(scope)) {
    await record('denied');
    throw new Response('Forbidden', { status: 403 });
  }
  await record('success');
  return {
    session,
    residentId: grant.residentId,
    viaProxy: true,
    scopes: grant.scopes.filter((s): s is ProxyScope =>
      (proxyScopes as readonly string[]).includes(s),
    ),
    actor: {
      actorType: 'proxy',
      actorId: session.accountId,
      onBehalfOfResidentId: grant.residentId,
      ip: context.clientIp ?? null,
    },
  };
}

/** Any signed-in resident or proxy (for their own account settings). */
export async function requireAccount(
  request: Request,
  context: Pick<AppContext, 'db'>,
): Promise<SessionInfo> {
  const session = await getSession(request, context);
  if (!session || session.kind === 'staff') throw await signInRedirect(request, context, false);
  return session;
}

export type StaffAccess = {
  session: SessionInfo;
  permissions: Set<Permission>;
  actor: AuditActor;
};

/**
 * Every staff loader and action starts here with the one permission it needs. Anonymous:
 * sign in and come back. A resident or proxy session, or staff without the permission: 403.
 */
export async function requireStaff(
  request: Request,
  context: Pick<AppContext, 'db'> & Partial<Pick<AppContext, 'clientIp'>>,
  permission: Permission | null,
): Promise<StaffAccess> {
  const session = await getSession(request, context);
  if (!session) throw await signInRedirect(request, context, true);
  if (session.kind !== 'staff') throw new Response('Forbidden', { status: 403 });
  const permissions = await permissionsOf(context.db, session.accountId);
  if (permission && !permissions.has(permission)) throw new Response('Forbidden', { status: 403 });
  return {
    session,
    permissions,
    actor: {
      actorType: 'staff',
      actorId: session.accountId,
      onBehalfOfResidentId: null,
      ip: context.clientIp ?? null,
    },
  };
}
