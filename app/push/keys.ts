/**
 * Web Push subscription keys (RFC 8291): `p256dh` is the browser's uncompressed P-256 public key
 * (65 bytes: 0x04, x, y) and `auth` a 16-byte secret, both base64url. A key that is not a point
 * on the curve can never be encrypted to, so it is refused when registered rather than found
 * at every push. Pure (BigInt), so the same check runs in forms and the JSON API.
 */

/** base64url (padding optional) to bytes, or null if it is not base64url. */
export function base64urlBytes(value: string): Uint8Array | null {
  const bare = value.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) return null;
  const binary = atob(bare.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

const toBigInt = (bytes: Uint8Array) => bytes.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);

/** An uncompressed P-256 point (0x04 ‖ x ‖ y) that lies on the curve y² = x³ − 3x + b (mod p). */
export function isP256PublicKey(bytes: Uint8Array | null): boolean {
  if (!bytes || bytes.length !== 65 || bytes[0] !== 0x04) return false;
  const x = toBigInt(bytes.subarray(1, 33));
  const y = toBigInt(bytes.subarray(33));
  if (x >= P || y >= P) return false;
  const right = (((x * x) % P) * x - 3n * x + B) % P;
  return (y * y) % P === (right + P) % P;
}

export const isPushAuthSecret = (bytes: Uint8Array | null) => bytes?.length === 16;
