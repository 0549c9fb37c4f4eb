import { data, redirect } from '@remix-run/node';
import type { AppContext } from '../context.ts';
import type { AccountKind } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { beginAuthentication, finishAuthentication, PasskeyError } from './passkeys.server.ts';
import { completeSignIn, rpFor } from './identity.service.server.ts';
import { returnPath } from '../platform/links.ts';

type Context = Pick<AppContext, 'db' | 'env' | 'clientIp'>;

/** What a passkey sign-in page needs: a fresh challenge, where to go after, and a notice flag. */
export async function signInPage(request: Request, context: Context, fallback: string) {
  const url = new URL(request.url);
  const { challengeId, options } = await beginAuthentication(context.db, rpFor(context));
  return {
    challengeId,
    options,
    redirectTo: returnPath(url.searchParams.get('redirectTo'), fallback),
    signedOut: url.searchParams.has('signedOut'),
  };
}

/**
 * Verifies a posted passkey answer for the allowed kinds of account, starts the session and
 * redirects; a refused answer is audited and answered with its localized reason (400).
 */
export async function signInWithPasskey(
  request: Request,
  context: Context,
  options: {
    allowedKinds: readonly AccountKind[];
    fallback: (kind: AccountKind) => string;
    auditAction: string;
  },
) {
  const form = await request.formData();
  const response = String(form.get('response') ?? '');
  if (!response) return data({ error: 'missing' as const }, { status: 400 });
  try {
    const account = await finishAuthentication(context.db, rpFor(context), {
      challengeId: String(form.get('challengeId') ?? ''),
      response: JSON.parse(response) as unknown,
      allowedKinds: options.allowedKinds,
    });
    // Where to go is settled before the old session is replaced: nothing after that can fail.
    const to = returnPath(form.get('redirectTo'), options.fallback(account.kind));
    const cookie = await completeSignIn(context, request, account, 'passkey');
    return redirect(to, { headers: { 'Set-Cookie': cookie } });
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
      action: options.auditAction,
      outcome: 'failure',
      ip: context.clientIp,
      details: { reason },
    });
    return data({ error: reason }, { status: 400 });
  }
}
