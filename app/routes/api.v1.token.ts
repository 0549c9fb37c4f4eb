import type { ActionFunctionArgs } from '@remix-run/node';
import type { z } from 'zod';
import { TokenRequest } from '../api/api.schema.ts';
import { allowMethods, readBody, validated } from '../api/request.server.ts';
import { recordTokenFailure, tokenRetryAfter } from '../api/token-throttle.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';
import { json } from '../api/guard.server.ts';
import { linkDevice } from '../api/link.service.server.ts';
import { refreshLink } from '../api/refresh.service.server.ts';
import { ppid } from '../api/ppid.server.ts';
import type { TokenPair } from '../api/tokens.server.ts';

export function loader({ request }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  return null;
}

const GRANT_TYPES: unknown[] = ['authorization_code', 'refresh_token'];

/**
 * OAuth-style token endpoint: authorization_code (with PKCE) links a device; refresh_token
 * rotates. An unknown grant type is 400 unsupported-grant-type (RFC 6749 §5.2). Refused grants
 * are counted per client address and client; past the budget the pair answers 429 with
 * Retry-After without trying (token-throttle.server.ts).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  allowMethods(request, ['POST']);
  const raw = await readBody(request);
  const grantType = (raw as { grant_type?: unknown } | null)?.grant_type;
  if (typeof grantType === 'string' && grantType !== '' && !GRANT_TYPES.includes(grantType))
    return problem(request, 'unsupported_grant_type', {
      detail: 'grant_type must be authorization_code or refresh_token',
    });
  const body = validated(request, TokenRequest, raw);
  const retryAfter = await tokenRetryAfter(context.db, context.clientIp, body.client_id);
  if (retryAfter !== null)
    return problem(request, 'rate_limited', { headers: { 'Retry-After': String(retryAfter) } });
  const answer = await grant(request, context, body);
  if (answer.status === 400 || answer.status === 401)
    await recordTokenFailure(context.db, context.clientIp, body.client_id);
  return answer;
}

async function grant(
  request: Request,
  context: ActionFunctionArgs['context'],
  body: z.infer<typeof TokenRequest>,
): Promise<Response> {
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
    const result = await refreshLink(context.db, {
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

  const result = await linkDevice(
    context.db,
    {
      clientId: body.client_id,
      code: body.code,
      redirectUri: body.redirect_uri,
      codeVerifier: body.code_verifier,
    },
    context.clientIp,
  );
  if (result.outcome !== 'ok') return problem(request, result.outcome);
  return tokens(result.pair, body.client_id, result.residentId);
}
