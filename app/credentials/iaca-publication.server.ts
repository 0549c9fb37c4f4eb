import { createHash } from 'node:crypto';
import type { Env } from '../env.server.ts';
import { issuerKeys } from './issuer-keys.server.ts';

/**
 * The IACA certificate as verifiers fetch it (ISO/IEC 18013-5 trust anchors are distributed
 * out of band; this is the city's own stable address for it): PEM or DER (RFC 2585's
 * application/pkix-cert), a strong ETag and a day's caching — it changes only when the root
 * is replaced.
 */
export async function iacaCertificateResponse(
  request: Request,
  env: Env,
  format: 'pem' | 'der',
): Promise<Response> {
  const { iaca } = await issuerKeys(env);
  const etag = `"${createHash('sha256').update(iaca.certificateDer).digest('base64url')}"`;
  const headers = new Headers({
    'Cache-Control': 'public, max-age=86400',
    ETag: etag,
    'Content-Type': format === 'pem' ? 'application/x-pem-file' : 'application/pkix-cert',
    'Content-Disposition': `inline; filename="iaca.${format}"`,
    // A public trust anchor: any verifier, a web page's too, may fetch it (CORS).
    'Access-Control-Allow-Origin': '*',
  });
  if (request.headers.get('If-None-Match') === etag)
    return new Response(null, { status: 304, headers });
  const body = format === 'pem' ? iaca.certificatePem : new Uint8Array(iaca.certificateDer);
  return new Response(request.method === 'HEAD' ? null : body, { headers });
}
