import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from a pool the CSPRNG fills 16 KiB at a time (as Node does for randomUUID and
 * randomInt): an mdoc takes a dozen 32-byte salts, a credential request two secrets and a
 * c_nonce; one call into OpenSSL each cost more than the bytes themselves (decision 0060,
 * addendum "the worker hands the credentials over"). Each byte is handed out once, copied out
 * of the pool; a new pool is made when one runs out, so no caller can see another's bytes.
 */
const POOL_SIZE = 16 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

export function pooledRandomBytes(size: number): Buffer {
  if (size > 1024) return randomFillSync(Buffer.allocUnsafe(size));
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
