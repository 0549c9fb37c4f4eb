import { deflateSync } from 'node:zlib';

/**
 * The Token Status List byte array (draft-ietf-oauth-status-list, "Compressed Byte Array"),
 * one bit per credential: index i is bit (i mod 8) of byte ⌊i / 8⌋, counted from the least
 * significant bit; 1 = INVALID (revoked), 0 = VALID. Compressed with DEFLATE in the ZLIB
 * format (RFC 1950) at the highest level, as the draft recommends.
 */

export const STATUS_BITS = 1;
/** The draft's 0x01 INVALID: what a revoked credential's bit holds. */
const STATUS_INVALID = 1;

/** The uncompressed array of a list of `size` indices, the `revoked` ones set. */
export function statusBytes(size: number, revoked: Iterable<number>): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((size * STATUS_BITS) / 8));
  for (const index of revoked) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size)
      throw new RangeError(`status index ${index} lies outside a list of ${size}`);
    bytes[index >> 3]! |= STATUS_INVALID << (index & 7);
  }
  return bytes;
}

/** `lst`: the array compressed (ZLIB header, DEFLATE, Adler-32). */
export function compressStatusBytes(bytes: Uint8Array): Buffer {
  return deflateSync(bytes, { level: 9 });
}

/** The status list URI an mdoc's MSO references and the list token's `sub` repeats. */
export const statusListUri = (publicOrigin: string, listId: number) =>
  `${publicOrigin}/credentials/status/${listId}`;
