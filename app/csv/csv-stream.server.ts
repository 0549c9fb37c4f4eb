import iconv from 'iconv-lite';
import { csvLine, UTF8_BOM } from './csv-write.ts';

/**
 * CSV downloads: UTF-8 with a BOM (the default: every name survives) or CP932 (Shift_JIS as
 * Windows writes it) for the older systems that read nothing else. Rows arrive in batches
 * from an async source (a keyset walk over a table) and leave as they come, so an export of
 * 100,000 rows never sits in memory whole.
 */
export type CsvOutputEncoding = 'utf-8' | 'cp932';

/**
 * Characters that have a CP932 twin under another code point: the JIS mapping Unicode chose
 * (〜 U+301C, − U+2212, …) against the one Windows uses (～ U+FF5E, － U+FF0D, …). Japanese text
 * typed on a Mac or read from a JIS-mapped source uses the former; Excel on Windows the latter.
 */
const CP932_TWINS: Record<string, string> = {
  '\u301C': '\uFF5E', // 〜 WAVE DASH → ～
  '\u2016': '\u2225', // ‖ → ∥
  '\u2212': '\uFF0D', // − MINUS SIGN → －
  '\u00A2': '\uFFE0', // ¢
  '\u00A3': '\uFFE1', // £
  '\u00AC': '\uFFE2', // ¬
  '\u2014': '\u2015', // — EM DASH → ―
};
const TWIN = new RegExp(`[${Object.keys(CP932_TWINS).join('')}]`, 'g');
const shiftJis = new TextDecoder('shift_jis');

export type Cp932Result =
  | { ok: true; bytes: Buffer }
  /** Characters CP932 cannot hold (𠮷, most emoji, …), each once, in order of appearance. */
  | { ok: false; unrepresentable: string[] };

/**
 * Text as CP932 bytes, or the characters it cannot hold: never a silent '?' in a name.
 */
export function encodeCp932(text: string): Cp932Result {
  const mapped = text.replace(TWIN, (c) => CP932_TWINS[c] ?? c);
  const bytes = iconv.encode(mapped, 'cp932');
  if (shiftJis.decode(bytes) === mapped) return { ok: true, bytes };
  const unrepresentable: string[] = [];
  for (const c of mapped) {
    if (unrepresentable.includes(c)) continue;
    if (shiftJis.decode(iconv.encode(c, 'cp932')) !== c) unrepresentable.push(c);
  }
  return { ok: false, unrepresentable };
}

class Cp932Error extends Error {
  readonly unrepresentable: string[];
  constructor(unrepresentable: string[]) {
    super(`CP932 cannot hold: ${unrepresentable.join(' ')}`);
    this.unrepresentable = unrepresentable;
  }
}

/**
 * A download body: the header row, then every batch of rows. With CP932, a character the
 * encoding cannot hold errors the stream (the client sees a broken download, not a file with
 * wrong names); offer CP932 only where the data is known to fit, or check first with
 * encodeCp932.
 */
export function csvStream(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly string[])[]>,
  encoding: CsvOutputEncoding = 'utf-8',
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const encode = (text: string): Uint8Array => {
    if (encoding === 'utf-8') return encoder.encode(text);
    const result = encodeCp932(text);
    if (!result.ok) throw new Cp932Error(result.unrepresentable);
    return result.bytes;
  };
  const iterator = batches[Symbol.asyncIterator]();
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        controller.enqueue(encode((encoding === 'utf-8' ? UTF8_BOM : '') + csvLine(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encode(next.value.map(csvLine).join('')));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
