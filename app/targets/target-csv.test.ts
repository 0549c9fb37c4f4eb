import { describe, expect, it } from 'vitest';
import { readCsv } from '../csv/csv-read.ts';
import { encodeCp932 } from '../csv/csv-stream.server.ts';
import { parseTargetCsv } from './target-csv.ts';

const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';

function cp932(text: string): Uint8Array {
  const encoded = encodeCp932(text);
  if (!encoded.ok) throw new Error(`not CP932: ${encoded.unrepresentable}`);
  return encoded.bytes;
}

const utf8 = (text: string, bom = false) => new TextEncoder().encode((bom ? '\uFEFF' : '') + text);

const parse = (bytes: Uint8Array) => parseTargetCsv(readCsv(bytes));

describe('the CS terminal card-issuance list', () => {
  it('reads a CP932 file with CRLF, quotes, 異体字, 和暦 and full-width digits', () => {
    const file = [
      HEADER,
      'A0001,MN-0001,髙橋　太郎,タカハシ　タロウ,S55.12.3,男,２３８－０１０１,"三浦市南下浦町上宮田1,2"',
      'A0002,MN-0002,山﨑 花子,ヤマサキ ハナコ,令和元年5月1日,女,〒238-0101,三浦市初声町',
      '',
      'Ａ０００３,ＭＮ－０００３,渡邉 一,,平成元年1月8日,2,,三浦市三崎町',
    ].join('\r\n');
    const result = parse(cp932(file));
    expect(result).toMatchObject({ ok: true, problems: [] });
    if (!result.ok) return;
    expect(result.rows).toEqual([
      {
        line: 2,
        row: {
          applicationId: 'A0001',
          manufactureNo: 'MN-0001',
          name: '髙橋　太郎',
          nameKana: 'タカハシ　タロウ',
          birthDate: '1980-12-03',
          sex: 'male',
          postalCode: '2380101',
          address: '三浦市南下浦町上宮田1,2',
        },
      },
      {
        line: 3,
        row: expect.objectContaining({ name: '山﨑 花子', birthDate: '2019-05-01', sex: 'female' }),
      },
      {
        line: 5,
        row: expect.objectContaining({
          applicationId: 'A0003',
          manufactureNo: 'MN-0003',
          name: '渡邉 一',
          nameKana: null,
          birthDate: '1989-01-08',
          postalCode: null,
        }),
      },
    ]);
  });

  it('reads UTF-8 with or without a BOM, columns in another order, and keeps 𠮷 exactly', () => {
    const file = [
      '氏名,申請書ID,生年月日,性別,製造管理番号,郵便番号,住所,氏名カナ',
      '𠮷田 次郎,B0001,1990-02-28,男性,MN-B1,2380101,三浦市,ヨシダ ジロウ',
    ].join('\n');
    for (const bom of [false, true]) {
      const result = parse(utf8(file, bom));
      expect(result).toMatchObject({ ok: true, problems: [] });
      if (result.ok)
        expect(result.rows[0]?.row).toMatchObject({
          name: '𠮷田 次郎',
          applicationId: 'B0001',
          birthDate: '1990-02-28',
        });
    }
  });

  it('names every bad line and why, and keeps the good ones', () => {
    const file = [
      HEADER,
      'C0001,MN1,正しい 行,,1980-01-01,男,2380101,三浦市', // 2: good
      'C0002,MN2,日付 不正,,令和0年4月1日,男,2380101,三浦市', // 3: no year 0
      'C0003,MN3,日付 不正,,2026年2月30日,女,2380101,三浦市', // 4: no such day
      'C0004,MN4,郵便 六桁,,1980-01-01,女,238010,三浦市', // 5: six digits
      'C0001,MN5,重複 行,,1980-01-01,男,2380101,三浦市', // 6: duplicate of line 2
      '=HYPERLINK("http://x"),MN6,数式,,1980-01-01,男,2380101,三浦市', // 7: not an id
      'C0007,MN7,=1+1,,1980-01-01,男,2380101,三浦市', // 8: a formula as name
      'C0008,MN8,列 不足,,1980-01-01,男,2380101', // 9: a column short
      'C0009,MN9,性別 不明,,1980-01-01,X,2380101,三浦市', // 10: sex
      'C0010,,番号 なし,,1980-01-01,男,2380101,三浦市', // 11: required
    ].join('\r\n');
    const result = parse(cp932(file));
    if (!result.ok) throw new Error('refused');
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.problems).toEqual([
      { line: 3, reason: 'date', detail: 'year' },
      { line: 4, reason: 'date', detail: 'date' },
      { line: 5, reason: 'postal_code' },
      { line: 6, reason: 'duplicate', firstLine: 2 },
      { line: 7, reason: 'identifier', column: 'applicationId' },
      { line: 8, reason: 'formula', column: 'name' },
      { line: 9, reason: 'field_count' },
      { line: 10, reason: 'sex' },
      { line: 11, reason: 'required', column: 'manufactureNo' },
    ]);
  });

  it('a line with bytes CP932 cannot hold is a line error, never a replaced character', () => {
    const good = cp932(`${HEADER}\r\nD0001,MN1,良い 行,,1980-01-01,男,2380101,三浦市\r\n`);
    const bad = cp932('D0002,MN2,');
    const tail = cp932(',,1980-01-01,男,2380101,三浦市\r\n');
    const file = new Uint8Array([...good, ...bad, 0x81, 0x20, ...tail]);
    const result = parse(file);
    if (!result.ok) throw new Error('refused');
    expect(result.rows.map((r) => r.row.applicationId)).toEqual(['D0001']);
    expect(result.problems).toEqual([{ line: 3, reason: 'encoding' }]);
  });

  it('refuses a file whose header is missing, unknown or repeated columns, or that is empty', () => {
    expect(parse(utf8(''))).toEqual({ ok: false, problem: { reason: 'empty' } });
    expect(parse(utf8('申請書ID,製造管理番号,氏名,氏名,生年月日,性別,郵便番号,備考\n'))).toEqual({
      ok: false,
      problem: {
        reason: 'header',
        missing: ['氏名カナ', '住所'],
        unknown: ['備考'],
        repeated: ['氏名'],
      },
    });
  });
});
