import type { ActionFunctionArgs } from '@remix-run/node';
import { TokenRequest } from '../api/api.schema.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';
import { json } from '../api/guard.server.ts';
import { exchangeAuthorizationCode, findClient, refreshLink } from '../api/link.service.server.ts';
import { ppid } from '../api/ppid.server.ts';
import type { TokenPair } from '../api/tokens.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  return null;
}

/** OAuth-style token endpoint: authorization_code (with PKCE) links a device; refresh_token rotates. */
export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  const body = await parseBody(request, TokenRequest);
  const tokens = (pair: TokenPair, clientId: string, residentId: string) =>
    inLanguage(
      json({
        access_token: pair.accessToken,
        token_type: 'Bearer',
        expires_in: pair.expiresIn,
        refresh_token: pair.refreshToken,
        subject: ppid(context.secrets, clientId, residentId),
      }),
      apiLocale(request),
    );

  if (body.grant_type === 'refresh_token') {
    // The rotation checks the client itself (one statement): no lookup first.
    const result = await refreshLink(context.db, context.secrets, {
      clientId: body.client_id,
      refreshToken: body.refresh_token,
      ip: context.clientIp,
    });
    switch (result.outcome) {
      case 'ok':
        return tokens(result.pair, result.link.clientId, result.link.residentId);
      case 'invalid_client':
      case 'client_disabled':
        return problem(request, result.outcome);
      case 'reused':
        return problem(request, 'invalid_grant', {
          detail: 'refresh token reuse: the whole token family is revoked',
        });
      case 'link_ended':
        return problem(request, result.reason === 'replaced' ? 'device_replaced' : 'link_ended');
      default:
        return problem(request, 'invalid_grant');
    }
  }

  const client = await findClient(context.db, body.client_id);
  if (!client) return problem(request, 'invalid_client');
  const audit = (
    outcome: 'success' | 'failure',
    residentId: string | null,
    details: Record<string, unknown>,
  ) =>
    recordAudit(context.db, {
      actorType: 'app',
      actorId: client.id,
      onBehalfOfResidentId: residentId,
      action: 'app.link',
      outcome,
      ip: context.clientIp,
      details,
    });
  if (client.disabledAt) {
    await audit('failure', null, { reason: 'client_disabled' });
    return problem(request, 'client_disabled');
  }
  const result = await exchangeAuthorizationCode(context.db, context.secrets, {
    clientId: client.id,
    code: body.code,
    redirectUri: body.redirect_uri,
    codeVerifier: body.code_verifier,
  });
  if (result.outcome !== 'ok') {
    await audit('failure', null, { reason: 'invalid_grant' });
    return problem(request, 'invalid_grant');
  }
  await audit('success', result.residentId, {
    linkId: result.linkId,
    replacedLinkId: result.replacedLinkId,
  });
  return tokens(result.pair, client.id, result.residentId);
}
