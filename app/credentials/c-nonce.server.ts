import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { pooledRandomBytes } from '../platform/random-pool.server.ts';
import type { Secrets } from '../platform/secrets.server.ts';

/**
 * Stateless c_nonces (OpenID4VCI 1.0 §7; decision 0060, addendum "a stateless c_nonce"). The
 * nonce endpoint answers without touching the database: a c_nonce carries its expiry and 16
 * random bytes, sealed with an HMAC under a key of its own (derived from the installation's
 * secrets, never stored). The credential request checks the seal and the expiry here, and
 * records the nonce as used in the request's own statement (`credential_nonce` now holds used
 * nonces only, until a day after they expire), so each is used once.
 *
 * Layout, base64url: version (1 byte, 1) · expiry in Unix seconds (6 bytes, big-endian) ·
 * random (16) · the first 16 bytes of HMAC-SHA256 over the 23 before: 39 bytes, 52 characters.
 */
export const NONCE_SECONDS = 300;

/** The key that seals c_nonces: one purpose of the installation's secrets. */
export const nonceKey = (secrets: Secrets) => secrets.key('c-nonce');

const VERSION = 1;
const BODY = 1 + 6 + 16;
const MAC = 16;

// The key as a KeyObject, made once per key: createHmac with a Buffer prepares one each time.
const keyObjects = new WeakMap<Buffer, KeyObject>();
function seal(key: Buffer, body: Buffer) {
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = createSecretKey(key)));
  return createHmac('sha256', object).update(body).digest().subarray(0, MAC);
}

export function mintNonce(key: Buffer, now = new Date()): string {
  const nonce = Buffer.alloc(BODY + MAC);
  nonce[0] = VERSION;
  nonce.writeUIntBE(Math.floor(now.getTime() / 1000) + NONCE_SECONDS, 1, 6);
  pooledRandomBytes(16).copy(nonce, 7);
  seal(key, nonce.subarray(0, BODY)).copy(nonce, BODY);
  return nonce.toString('base64url');
}

/** When a c_nonce this key sealed expires; null when it is not one, or has expired. */
export function nonceExpiry(key: Buffer, nonce: string, now = new Date()): Date | null {
  if (nonce.length !== 52 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return null;
  const bytes = Buffer.from(nonce, 'base64url');
  if (bytes.length !== BODY + MAC || bytes[0] !== VERSION) return null;
  if (!timingSafeEqual(seal(key, bytes.subarray(0, BODY)), bytes.subarray(BODY))) return null;
  const expiresAt = new Date(bytes.readUIntBE(1, 6) * 1000);
  return expiresAt > now ? expiresAt : null;
}
