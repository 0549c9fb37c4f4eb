import type { AppLoadContext } from '@remix-run/node';
import { issuerKeys } from './issuer-keys.server.ts';
import { STATUS_LIST_MEDIA_TYPE, statusListToken } from './status-list.server.ts';

const LIST_ID = /^[1-9]\d{0,9}$/;
const CWT_ACCEPTED = new Set([STATUS_LIST_MEDIA_TYPE, 'application/*', '*/*']);

/** No Accept, or one that takes the CWT form (the only form served). */
function acceptsCwt(accept: string | null): boolean {
  if (!accept) return true;
  return accept
    .split(',')
    .map((part) => part.split(';'))
    .some(
      ([type, ...parameters]) =>
        CWT_ACCEPTED.has(type!.trim().toLowerCase()) &&
        !parameters.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)),
    );
}

const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });

/**
 * GET /credentials/status/:listId: the signed list with a strong ETag, CORS `*` (the draft
 * asks for browser verifiers too) and `Cache-Control: max-age` = the token's ttl; 404 for an
 * unknown list, 406 when the caller takes only another form (the JWT form is not served).
 */
export async function statusListResponse(
  request: Request,
  context: AppLoadContext,
  rawListId: string,
): Promise<Response> {
  const cors = { 'Access-Control-Allow-Origin': '*', Vary: 'Accept' };
  const listId = LIST_ID.test(rawListId) ? Number(rawListId) : 0;
  if (listId < 1 || listId > 2 ** 31 - 1) return plain(404, 'Not Found', cors);
  if (!acceptsCwt(request.headers.get('Accept')))
    return plain(406, `Not Acceptable: only ${STATUS_LIST_MEDIA_TYPE} is served`, cors);
  const signed = await statusListToken(
    {
      db: context.db,
      keys: await issuerKeys(context.env),
      publicOrigin: context.env.publicOrigin,
      ttlSeconds: context.env.MADOGUCHI_STATUS_LIST_TTL,
    },
    listId,
  );
  if (!signed) return plain(404, 'Not Found', cors);
  const headers = new Headers({
    ...cors,
    'Content-Type': STATUS_LIST_MEDIA_TYPE,
    'Cache-Control': `public, max-age=${signed.ttl}`,
    ETag: signed.etag,
  });
  if (request.headers.get('If-None-Match') === signed.etag)
    return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(signed.token), {
    headers,
  });
}
