import type { ActionFunctionArgs } from '@remix-run/node';
import { TokenRequest } from '../api/api.schema.ts';
import { allowMethods, parseBody } from '../api/request.server.ts';
import { problem } from '../api/problem.server.ts';
import { json } from '../api/guard.server.ts';
import { exchangeAuthorizationCode, findClient } from '../api/link.service.server.ts';
import { rotateRefreshToken } from '../api/tokens.server.ts';
import { ppid } from '../api/ppid.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  return null;
}

/** OAuth-style token endpoint: authorization_code (with PKCE) links a device; refresh_token rotates. */
export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  const body = await parseBody(request, TokenRequest);
  const client = await findClient(context.db, body.client_id);
  if (!client) return problem(request, 'invalid_client');
  const audit = (
    action: string,
    outcome: 'success' | 'failure' | 'denied',
    residentId: string | null,
    details: Record<string, unknown> = {},
  ) =>
    recordAudit(context.db, {
      actorType: 'app',
      actorId: client.id,
      onBehalfOfResidentId: residentId,
      action,
      outcome,
      ip: context.clientIp,
      details,
    });

  if (body.grant_type === 'authorization_code') {
    const result = await exchangeAuthorizationCode(context.db, context.secrets, {
      clientId: client.id,
      code: body.code,
      redirectUri: body.redirect_uri,
      codeVerifier: body.code_verifier,
    });
    if (result.outcome !== 'ok') {
      await audit('app.link', 'failure', null, { reason: 'invalid_grant' });
      return problem(request, 'invalid_grant');
    }
    await audit('app.link', 'success', result.residentId, {
      linkId: result.linkId,
      replacedLinkId: result.replacedLinkId,
    });
    return json({
      access_token: result.pair.accessToken,
      token_type: 'Bearer',
      expires_in: result.pair.expiresIn,
      refresh_token: result.pair.refreshToken,
      subject: ppid(context.secrets, client.id, result.residentId),
    });
  }

  const result = await rotateRefreshToken(
    context.db,
    context.secrets,
    body.refresh_token,
    client.id,
  );
  switch (result.outcome) {
    case 'ok':
      await audit('app.token_refresh', 'success', result.link.residentId, {
        linkId: result.link.id,
      });
      return json({
        access_token: result.pair.accessToken,
        token_type: 'Bearer',
        expires_in: result.pair.expiresIn,
        refresh_token: result.pair.refreshToken,
        subject: ppid(context.secrets, client.id, result.link.residentId),
      });
    case 'reused':
      await audit('app.token_reuse', 'denied', null, {
        linkId: result.linkId,
        familyId: result.familyId,
      });
      return problem(request, 'invalid_grant', {
        detail: 'refresh token reuse: the whole token family is revoked',
      });
    case 'link_ended':
      return problem(request, result.reason === 'replaced' ? 'device_replaced' : 'link_ended');
    default:
      await audit('app.token_refresh', 'failure', null, { reason: result.outcome });
      return problem(request, 'invalid_grant');
  }
}
