import { Transform } from 'node:stream';

/**
 * React 18's streaming renderer flushes its whole 2,048-byte buffer when a multi-byte
 * character does not fit at its end, zero bytes included; Japanese text hits this often and
 * the browser shows a garbage character (app/entry.server.test.tsx shows it). HTML never
 * carries a NUL byte of ours, so dropping them restores the text exactly.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}
