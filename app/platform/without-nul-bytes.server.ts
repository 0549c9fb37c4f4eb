import { Transform } from 'node:stream';

/**
 * React 18's streaming renderer flushes its whole 2,048-byte buffer when a multi-byte
 * character does not fit at its end, zero bytes included; Japanese text hits this often and
 * the browser shows a garbage character (without-nul-bytes.test.tsx shows it). HTML never
 * carries a NUL byte of ours, so dropping them restores the text exactly.
 */
export function withoutNulBytesIn<B extends ArrayBufferLike>(
  bytes: Buffer<B>,
): Buffer<B> | Buffer<ArrayBuffer> {
  let zero = bytes.indexOf(0);
  if (zero === -1) return bytes;
  // The zeros come in runs (the unused end of a buffer): copy the parts between the runs.
  const parts: Buffer<B>[] = [];
  let start = 0;
  while (zero !== -1) {
    if (zero > start) parts.push(bytes.subarray(start, zero));
    start = zero + 1;
    while (start < bytes.length && bytes[start] === 0) start++;
    zero = bytes.indexOf(0, start);
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return Buffer.concat(parts);
}

/** The same as a stream transform. */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, withoutNulBytesIn(chunk));
    },
  });
}
