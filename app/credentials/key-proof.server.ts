import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { VciError } from './vci-error.ts';

/** How old a proof's iat may be, and how far ahead of our clock (seconds). */
export const PROOF_MAX_AGE_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 30;

export type DeviceJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string };
export type CheckedProof = { jwk: DeviceJwk; nonce: string; thumbprint: string };

const B64URL = /^[A-Za-z0-9_-]*$/;

function jsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    if (!B64URL.test(part)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new VciError('invalid_proof', `the proof's ${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new VciError('invalid_proof', `the proof's ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A P-256 coordinate: base64url of exactly 32 bytes (RFC 7518 §6.2.1.2). */
const coordinate = (value: unknown) =>
  typeof value === 'string' &&
  value.length === 43 &&
  B64URL.test(value) &&
  Buffer.from(value, 'base64url').length === 32;

/**
 * One `openid4vci-proof+jwt` (OpenID4VCI 1.0 Appendix F.1), checked synchronously with
 * node:crypto (decision 0060, addendum "fewer event-loop milliseconds"; it was jose over
 * WebCrypto, a key import and a thread-pool hop per proof): a compact JWS of three base64url
 * parts; typ, alg ES256, the device key in the `jwk` header (a public P-256 key on the curve,
 * no kid, x5c or crit beside it); the signature (r‖s, 64 bytes) by that key; aud = the
 * credential issuer (a string, or a list holding it); an iat no older than 5 minutes and not
 * ahead of us (30 s of clock skew either way), an exp not past and an nbf not ahead when
 * present; and a nonce. Whether the nonce is a live c_nonce is the caller's check.
 */
export function checkKeyProof(
  jwt: string,
  credentialIssuer: string,
  now = new Date(),
): CheckedProof {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new VciError('invalid_proof', 'the proof is not a JWT');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = jsonPart(encodedHeader, 'header');
  if (header.typ !== 'openid4vci-proof+jwt')
    throw new VciError('invalid_proof', 'typ must be openid4vci-proof+jwt');
  if (header.alg !== 'ES256') throw new VciError('invalid_proof', 'alg must be ES256');
  if (header.kid !== undefined || header.x5c !== undefined)
    throw new VciError('invalid_proof', 'the device key must be given as jwk, alone');
  if (header.crit !== undefined)
    throw new VciError('invalid_proof', 'no critical header extension is understood');
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    'd' in jwk ||
    !coordinate(jwk.x) ||
    !coordinate(jwk.y)
  )
    throw new VciError('invalid_proof', 'jwk must be a public EC P-256 key');
  const device: DeviceJwk = { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: device, format: 'jwk' });
  } catch {
    throw new VciError('invalid_proof', 'jwk is not a point on P-256');
  }
  const signature = B64URL.test(encodedSignature)
    ? Buffer.from(encodedSignature, 'base64url')
    : Buffer.alloc(0);
  if (
    signature.length !== 64 ||
    !verify(
      'sha256',
      Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'),
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    )
  )
    throw new VciError('invalid_proof', 'the proof does not verify: signature verification failed');

  const payload = jsonPart(encodedPayload, 'payload');
  const aud = payload.aud;
  if (!(aud === credentialIssuer || (Array.isArray(aud) && aud.includes(credentialIssuer))))
    throw new VciError('invalid_proof', 'aud must be the credential issuer');
  const seconds = now.getTime() / 1000;
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    throw new VciError('invalid_proof', 'the proof needs a numeric iat');
  if (iat > seconds + CLOCK_SKEW_SECONDS)
    throw new VciError('invalid_proof', 'iat lies in the future');
  if (seconds - iat - CLOCK_SKEW_SECONDS > PROOF_MAX_AGE_SECONDS)
    throw new VciError('invalid_proof', 'the proof is too old (iat)');
  if (
    payload.exp !== undefined &&
    !(typeof payload.exp === 'number' && payload.exp > seconds - CLOCK_SKEW_SECONDS)
  )
    throw new VciError('invalid_proof', 'the proof has expired (exp)');
  if (
    payload.nbf !== undefined &&
    !(typeof payload.nbf === 'number' && payload.nbf <= seconds + CLOCK_SKEW_SECONDS)
  )
    throw new VciError('invalid_proof', 'the proof is not valid yet (nbf)');
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0)
    throw new VciError('invalid_nonce', 'the proof carries no c_nonce');
  return { jwk: device, nonce: payload.nonce, thumbprint: thumbprintOf(device) };
}

/** RFC 7638 JWK thumbprint (SHA-256) of a P-256 public key. */
export function thumbprintOf(jwk: DeviceJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
