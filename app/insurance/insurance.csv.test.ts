import { describe, expect, it } from 'vitest';
import { parseCopayment, parseCsvDate, parseInsuranceCsv } from './insurance.csv.ts';

const HEADER = '住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合';
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Shift_JIS bytes for a string, by inverting the platform's decoder (tests only). */
function shiftJis(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('shift_jis');
  const leads = [...range(0x81, 0x9f), ...range(0xe0, 0xfc)];
  for (const lead of leads) {
    for (const trail of range(0x40, 0xfc)) {
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\uFFFD' && !table.has(char))
        table.set(char, [lead, trail]);
    }
  }
  for (const single of range(0xa1, 0xdf))
    table.set(decoder.decode(new Uint8Array([single])), [single]);
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(char);
      if (!pair) throw new Error(`no Shift_JIS for ${char}`);
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('insurance CSV', () => {
  it('reads good rows: BOM, CRLF, quotes, full-width digits, every ratio and date form', () => {
    const file = [
      HEADER,
      '12345678901,01140017,全国健康保険協会　神奈川支部,12345,678,01,2024-04-01,,3割',
      '12345678905,01140017,山﨑𠮷髙,Ａ１,678,,2024-04-01,,３０',
      '１２３４５６７８９０２,142109,"三浦市, 国民健康保険",三浦,"12""34",,2019/4/1,20240401,30',
      '12345678903,39142107,神奈川県後期高齢者医療広域連合,,00012345,,2025-01-01,,1割',
      '',
      '12345678904,06139999,健康保険組合,A1,9,02,2020-10-01,2021-10-01,20%',
    ].join('\r\n');
    const parsed = parseInsuranceCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(file)]));
    expect(parsed.errors).toEqual([]);
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.rows).toEqual([
      {
        line: 2,
        registerCode: '12345678901',
        insurerNumber: '01140017',
        insurerName: '全国健康保険協会　神奈川支部',
        symbol: '12345',
        number: '678',
        branch: '01',
        qualifiedFrom: '2024-04-01',
        qualifiedUntil: null,
        copaymentPercent: 30,
      },
      expect.objectContaining({
        line: 3,
        insurerName: '山﨑𠮷髙',
        symbol: 'A1',
        copaymentPercent: 30,
      }),
      expect.objectContaining({
        line: 4,
        registerCode: '12345678902',
        insurerName: '三浦市, 国民健康保険',
        symbol: '三浦',
        number: '12"34',
        branch: null,
        qualifiedFrom: '2019-04-01',
        qualifiedUntil: '2024-04-01',
        copaymentPercent: 30,
      }),
      expect.objectContaining({ line: 5, symbol: '', copaymentPercent: 10 }),
      expect.objectContaining({ line: 7, branch: '02', copaymentPercent: 20 }),
    ]);
  });

  it('reports every bad row with its line number and reason, and returns no rows to import', () => {
    const file = [
      HEADER,
      '12345678901,01140017,協会けんぽ,1,2,01,2024-04-01,,3割',
      '1234567890,0114001,協会けんぽ,1,2,1,2024-02-30,,4割',
      '12345678902,01140017,協会けんぽ,1,2',
      '"12345678903",01140017,"改行を含む',
      '保険者名",1,2,,2024-04-01,2024-03-31,2割',
      '12345678901,01140017,協会けんぽ,9,9,,2024/4/1,,10',
    ].join('\n');
    const parsed = parseInsuranceCsv(utf8(file));
    expect(parsed.errors).toEqual([
      { line: 3, problem: 'registerCode', value: '1234567890' },
      { line: 3, problem: 'insurerNumber', value: '0114001' },
      { line: 3, problem: 'branch', value: '1' },
      { line: 3, problem: 'qualifiedFrom', value: '2024-02-30' },
      { line: 3, problem: 'copayment', value: '4割' },
      { line: 4, problem: 'columns', value: '5' },
      { line: 5, problem: 'insurerName', value: '改行を含む\n保険者名' },
      { line: 5, problem: 'untilBeforeFrom', value: '2024-03-31' },
      { line: 7, problem: 'duplicate', otherLine: 2 },
    ]);
  });

  it('refuses a file whose heading row is not the expected one, or that has no rows', () => {
    expect(parseInsuranceCsv(utf8('a,b,c\n1,2,3\n')).errors).toEqual([
      { line: 1, problem: 'header', value: 'a,b,c' },
    ]);
    expect(parseInsuranceCsv(utf8(`${HEADER}\n`)).errors).toEqual([{ line: 2, problem: 'empty' }]);
    expect(parseInsuranceCsv(utf8('')).errors).toEqual([{ line: 1, problem: 'empty' }]);
    expect(parseInsuranceCsv(utf8(`${HEADER}\n"unclosed,1\n`)).errors).toEqual([
      { line: 2, problem: 'quote' },
    ]);
  });

  it('reads Shift_JIS files as Excel saves them', () => {
    const file = `${HEADER}\r\n12345678901,142109,三浦市国民健康保険,ﾐｳﾗ,１２３,,令和,,３割\r\n12345678902,142109,三浦市国民健康保険,三浦,456,,2024-04-01,,２割\r\n`;
    const parsed = parseInsuranceCsv(shiftJis(file));
    expect(parsed.encoding).toBe('shift_jis');
    expect(parsed.errors).toEqual([{ line: 2, problem: 'qualifiedFrom', value: '令和' }]);
    const good = parseInsuranceCsv(
      shiftJis(file.replace('令和', '2024-04-01').replace('12345678902', '12345678903')),
    );
    expect(good.errors).toEqual([]);
    expect(good.rows.map((r) => [r.insurerName, r.symbol, r.number, r.copaymentPercent])).toEqual([
      ['三浦市国民健康保険', 'ﾐｳﾗ', '123', 30],
      ['三浦市国民健康保険', '三浦', '456', 20],
    ]);
  });

  it('parses the small pieces strictly', () => {
    expect(parseCsvDate('2024-2-29')).toBe('2024-02-29');
    expect(parseCsvDate('2023-02-29')).toBeNull();
    expect(parseCsvDate('R6.4.1')).toBeNull();
    expect(parseCopayment('2割')).toBe(20);
    expect(parseCopayment('40')).toBeNull();
    expect(parseCopayment('0')).toBeNull();
  });
});
