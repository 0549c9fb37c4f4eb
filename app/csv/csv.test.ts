import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { normalizeCell, readCsv } from './csv-read.ts';
import { csvCell, csvLine, csvText } from './csv-write.ts';
import { csvStream, encodeCp932 } from './csv-stream.server.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const sjis = (text: string) => new Uint8Array(iconv.encode(text, 'cp932'));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const fields = (bytes: Uint8Array) => readCsv(bytes).records.map((r) => r.fields);

describe('reading CSV', () => {
  it('reads UTF-8 with and without a BOM, and Shift_JIS (CP932) as the CS terminal writes it', () => {
    const text = '氏名,製造管理番号\r\n髙橋　﨑子,ＡＢ１２\r\n';
    expect(readCsv(utf8(text))).toMatchObject({ encoding: 'utf-8', bom: false, errors: [] });
    expect(readCsv(concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(text)))).toMatchObject({
      encoding: 'utf-8',
      bom: true,
      records: [{ line: 1, fields: ['氏名', '製造管理番号'] }, { line: 2 }],
    });
    const fromSjis = readCsv(sjis(text));
    expect(fromSjis.encoding).toBe('shift_jis');
    // 髙 and 﨑 are IBM extensions in CP932: they survive exactly.
    expect(fromSjis.records[1]?.fields).toEqual(['髙橋　﨑子', 'ＡＢ１２']);
  });

  it('keeps quoted commas, doubled quotes and line breaks, and numbers records by their first line', () => {
    const read = readCsv(utf8('a,"b,1"\r\n"say ""hi""",x\r\n\r\n"two\r\nlines",y\r\nlast,z'));
    expect(read.records).toEqual([
      { line: 1, fields: ['a', 'b,1'] },
      { line: 2, fields: ['say "hi"', 'x'] },
      { line: 4, fields: ['two\r\nlines', 'y'] },
      { line: 6, fields: ['last', 'z'] },
    ]);
  });

  it('reads tab-separated files when the first line has tabs and no commas', () => {
    expect(fields(utf8('a\tb\r\n1\t2'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(readCsv(utf8('a\tb,c'), { delimiter: ',' }).records[0]?.fields).toEqual(['a\tb', 'c']);
  });

  it('reports a line with bytes the encoding cannot hold, never replacing them, and reads the rest', () => {
    // Shift_JIS file whose line 3 carries a lone lead byte (0x81 at the end of a field).
    const bytes = concat(
      sjis('氏名,番号\r\n山田,1\r\n'),
      new Uint8Array([0x41, 0x81, 0x2c, 0x32, 0x0d, 0x0a]),
      sjis('佐藤,3\r\n'),
    );
    const read = readCsv(bytes);
    expect(read.encoding).toBe('shift_jis');
    expect(read.errors).toEqual([{ line: 3, reason: 'encoding' }]);
    expect(read.records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(JSON.stringify(read.records)).not.toContain('\uFFFD');
  });

  it('a bad byte inside a quoted field spanning lines rejects that whole record', () => {
    const bytes = concat(utf8('a,"x\r\n'), new Uint8Array([0xff]), utf8('y",b\r\nc,d\r\n'));
    const read = readCsv(bytes);
    expect(read.errors).toEqual([{ line: 2, reason: 'encoding' }]);
    expect(read.records).toEqual([{ line: 3, fields: ['c', 'd'] }]);
  });

  it('a UTF-8 file with a BOM stays UTF-8 even where a line is broken', () => {
    const bytes = concat(
      new Uint8Array([0xef, 0xbb, 0xbf]),
      utf8('a\r\n'),
      new Uint8Array([0x82, 0xa0]),
    );
    expect(readCsv(bytes)).toMatchObject({ encoding: 'utf-8', errors: [{ line: 2 }] });
  });

  it('says where a quoted field is never closed', () => {
    expect(readCsv(utf8('a,b\r\n"open,c\r\nd,e')).errors).toEqual([
      { line: 2, reason: 'unclosed_quote' },
    ]);
  });

  it('normalises full-width ASCII and trims spaces, and nothing else', () => {
    expect(normalizeCell('　ＡＢ１２３－４　')).toBe('AB123-4');
    expect(normalizeCell(' 𠮷田　髙﨑 ')).toBe('𠮷田　髙﨑');
  });
});

describe('writing CSV', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`)).toMatch(/^"?'/);
    expect(csvLine(['a', '1'])).toBe('a,1\r\n');
    expect(csvText([['h'], ['v']])).toBe('\uFEFFh\r\nv\r\n');
  });

  it('what it writes reads back the same', () => {
    const rows = [
      ['氏名', 'メモ'],
      ['𠮷田 髙﨑', 'line one\r\nline "two", end'],
    ];
    expect(fields(utf8(csvText(rows)))).toEqual(rows);
  });

  it('CP932: maps the JIS twins Windows spells differently and names the characters it cannot hold', () => {
    const ok = encodeCp932('髙﨑〜−');
    expect(ok.ok && new TextDecoder('shift_jis').decode(ok.bytes)).toBe('髙﨑～－');
    expect(encodeCp932('𠮷田と😀と𠮷')).toEqual({ ok: false, unrepresentable: ['𠮷', '😀'] });
  });

  it('streams a header and batches of rows, in UTF-8 with a BOM or in CP932', async () => {
    async function* batches() {
      yield [['1', '髙橋']];
      yield [];
      yield [['2', '=1+1']];
    }
    const utf = new Uint8Array(
      await new Response(csvStream(['no', 'name'], batches())).arrayBuffer(),
    );
    // Response.text() would drop the BOM: read the bytes.
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(utf)).toBe(
      "\uFEFFno,name\r\n1,髙橋\r\n2,'=1+1\r\n",
    );
    const bytes = new Uint8Array(
      await new Response(csvStream(['no', 'name'], batches(), 'cp932')).arrayBuffer(),
    );
    expect(readCsv(bytes)).toMatchObject({
      encoding: 'shift_jis',
      bom: false,
      records: [{ fields: ['no', 'name'] }, { fields: ['1', '髙橋'] }, { fields: ['2', "'=1+1"] }],
    });
  });

  it('a CP932 stream refuses a name it cannot hold instead of writing a question mark', async () => {
    async function* batches() {
      yield [['𠮷田']];
    }
    await expect(new Response(csvStream(['name'], batches(), 'cp932')).text()).rejects.toThrow(
      '𠮷',
    );
  });
});
