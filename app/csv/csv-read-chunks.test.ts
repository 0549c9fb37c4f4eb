import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { detectCsvEncoding, readCsv, readCsvChunks } from './csv-read.ts';

const sjis = (text: string) => new Uint8Array(iconv.encode(text, 'cp932'));

/** Quoted fields over several lines, a blank line, a bad byte, CRLF and an unclosed quote. */
const tricky = () => {
  const good = sjis(
    [
      'a,b,c',
      '1,"髙橋\r\n太郎",x',
      '',
      '2,"one\r\ntwo\r\nthree",y',
      '3,﨑,z',
      '4,"open',
      'still open',
    ].join('\r\n'),
  );
  // Line 5 ('3,﨑,z') gets a byte CP932 cannot decode.
  const bytes = new Uint8Array(good.length + 2);
  const at = good.indexOf(0x33, good.indexOf(0x79)); // '3' after 'y'
  bytes.set(good.subarray(0, at + 2));
  bytes.set([0x81, 0x7f], at + 2);
  bytes.set(good.subarray(at + 2), at + 4);
  return bytes;
};

describe('reading a CSV in chunks', () => {
  it('gives exactly what readCsv gives, whatever the chunk size, and never splits a record', () => {
    const bytes = tricky();
    const whole = readCsv(bytes);
    expect(whole.encoding).toBe('shift_jis');
    for (const chunkLines of [1, 2, 3, 4, 7, 100]) {
      const chunks = [...readCsvChunks(bytes, 'shift_jis', { chunkLines })];
      expect(chunks.flatMap((c) => c.records)).toEqual(whole.records);
      expect(chunks.flatMap((c) => c.errors)).toEqual(whole.errors);
      const progress = chunks.map((c) => c.linesRead);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(progress.at(-1)).toBe(10);
    }
    expect(whole.errors).toEqual([
      { line: 8, reason: 'encoding' },
      { line: 9, reason: 'unclosed_quote' },
    ]);
  });

  it('detects the encoding as readCsv does, counting lines without keeping their text', () => {
    expect(detectCsvEncoding(tricky())).toMatchObject({
      encoding: 'shift_jis',
      lines: 10,
      badLines: [8],
    });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a\n𠮷\n')]);
    expect(detectCsvEncoding(bom)).toEqual({
      encoding: 'utf-8',
      bom: true,
      lines: 2,
      badLines: [],
    });
  });
});
