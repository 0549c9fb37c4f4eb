import { createHash } from 'node:crypto';
import { decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { VciError } from './vci-error.ts';

/** How old a proof's iat may be, and how far ahead of our clock (seconds). */
export const PROOF_MAX_AGE_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 30;

export type DeviceJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string };
export type CheckedProof = { jwk: DeviceJwk; nonce: string; thumbprint: string };

/**
 * One `openid4vci-proof+jwt` (OpenID4VCI 1.0 Appendix F.1) checked with jose: typ, alg ES256,
 * the device key in the `jwk` header (a public P-256 key, no kid or x5c beside it), the
 * signature by that key, aud = the credential issuer, an iat no older than 5 minutes (and not
 * ahead of us), and a nonce. Whether the nonce is a live c_nonce is the caller's check.
 */
export async function checkKeyProof(
  jwt: string,
  credentialIssuer: string,
  now = new Date(),
): Promise<CheckedProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new VciError('invalid_proof', 'the proof is not a JWT');
  }
  if (header.typ !== 'openid4vci-proof+jwt')
    throw new VciError('invalid_proof', 'typ must be openid4vci-proof+jwt');
  if (header.alg !== 'ES256') throw new VciError('invalid_proof', 'alg must be ES256');
  if (header.kid !== undefined || header.x5c !== undefined)
    throw new VciError('invalid_proof', 'the device key must be given as jwk, alone');
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk)
    throw new VciError('invalid_proof', 'jwk must be a public EC P-256 key');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, EmbeddedJWK, {
      algorithms: ['ES256'],
      typ: 'openid4vci-proof+jwt',
      audience: credentialIssuer,
      maxTokenAge: PROOF_MAX_AGE_SECONDS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['iat', 'aud'],
      currentDate: now,
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not verified';
    throw new VciError('invalid_proof', `the proof does not verify: ${reason}`);
  }
  if (typeof payload.iat !== 'number' || payload.iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS)
    throw new VciError('invalid_proof', 'iat lies in the future');
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0)
    throw new VciError('invalid_nonce', 'the proof carries no c_nonce');
  const device: DeviceJwk = {
    kty: 'EC',
    crv: 'P-256',
    x: String(jwk.x),
    y: String(jwk.y),
  };
  return { jwk: device, nonce: payload.nonce, thumbprint: thumbprintOf(device) };
}

/**
 * RFC 7638 JWK thumbprint (SHA-256) of a P-256 public key; synchronous (jose's goes through
 * WebCrypto's thread pool, a hop per proof on the request's path).
 */
export function thumbprintOf(jwk: DeviceJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
