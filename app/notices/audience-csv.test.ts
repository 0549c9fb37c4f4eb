import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  audienceReport,
  checkAudienceFile,
  checkAudienceUpload,
  MAX_AUDIENCE_ROWS,
  parseAudienceCsv,
} from './audience-csv.server.ts';
import { isLocalGovernmentCode, lineRanges } from './notice.schema.ts';

const database = useTestDatabase();

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = [0xef, 0xbb, 0xbf];
// "住民票コード,氏名" and "山田" in Shift_JIS, as Excel on Japanese Windows saves them.
const SJIS_HEADER = [
  0x8f, 0x5a, 0x96, 0xaf, 0x95, 0x5b, 0x83, 0x52, 0x81, 0x5b, 0x83, 0x68, 0x2c, 0x8e, 0x81, 0x96,
  0xbc,
];
const SJIS_YAMADA = [0x8e, 0x52, 0x93, 0x63];
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

async function residents(count: number): Promise<{ id: string; code: string }[]> {
  const codes = Array.from({ length: count }, () =>
    Array.from({ length: 11 }, () => randomInt(10)).join(''),
  );
  await upsertResidents(
    database.connection.db,
    codes.map((registerCode) => ({
      registerCode,
      name: '試験　花子',
      nameKana: 'シケン　ハナコ',
      nameLatin: null,
      birthDate: '1990-01-01',
      sex: 'female' as const,
      address: '神奈川県三浦市',
      municipalityCode: '142107',
      municipalityName: '三浦市',
      cardManufactureNumber: null,
    })),
  );
  const rows = await database.connection.db
    .selectFrom('resident')
    .select(['id', 'registerCode'])
    .where('registerCode', 'in', codes)
    .execute();
  const byCode = new Map(rows.map((r) => [r.registerCode, r.id]));
  return codes.map((code) => ({ code, id: byCode.get(code)! }));
}

/** A code no resident has (residents are created with random codes; this one is reserved). */
const UNKNOWN = '00000000000';

describe('parsing', () => {
  it('takes one code per line, skipping blank lines, with each line number', () => {
    const parsed = parseAudienceCsv('12345678901\n\n  \r\n23456789012\r\n');
    expect(parsed).toEqual({
      fileError: null,
      rows: [
        { line: 1, code: '12345678901' },
        { line: 4, code: '23456789012' },
      ],
      rowErrors: [],
    });
  });

  it('finds the column named 住民票コード or register_code, in any position, quoted or not', () => {
    const ja = parseAudienceCsv(
      '氏名,"住民票コード"\n"山田, 太郎","12345678901"\n花子,23456789012',
    );
    expect(ja.rows).toEqual([
      { line: 2, code: '12345678901' },
      { line: 3, code: '23456789012' },
    ]);
    const en = parseAudienceCsv('Register_Code\tname\n12345678901\tTaro\n');
    expect(en.rows).toEqual([{ line: 2, code: '12345678901' }]);
  });

  it('counts lines inside quoted fields, and accepts full-width digits and spaces', () => {
    const parsed = parseAudienceCsv(
      'register_code,memo\n12345678901,"two\nlines"\n１２３４５ ６７８９０２,x',
    );
    expect(parsed.rows).toEqual([
      { line: 2, code: '12345678901' },
      { line: 4, code: '12345678902' },
    ]);
  });

  it('reports every bad row with its line and why, duplicates with the first line', () => {
    const parsed = parseAudienceCsv(
      ['12345678901', '1234567890', '', '12345-678901', '12345678901', 'abc'].join('\n'),
    );
    expect(parsed.rowErrors).toEqual([
      { line: 2, value: '1234567890', problem: 'format' },
      { line: 4, value: '12345-678901', problem: 'format' },
      { line: 5, value: '12345678901', problem: 'duplicate', firstLine: 1 },
      { line: 6, value: 'abc', problem: 'format' },
    ]);
    expect(parsed.rows).toEqual([{ line: 1, code: '12345678901' }]);
  });

  it('refuses files that are empty, have an unnamed column among several, or are too long', () => {
    expect(parseAudienceCsv('\n\n').fileError).toBe('empty');
    expect(parseAudienceCsv('住民票コード\n').fileError).toBe('empty');
    expect(parseAudienceCsv('code,name\n12345678901,x').fileError).toBe('noColumn');
    const long = Array.from({ length: MAX_AUDIENCE_ROWS + 1 }, () => '12345678901').join('\n');
    expect(parseAudienceCsv(long).fileError).toBe('tooManyRows');
  });
});

describe('checking against the resident register', () => {
  it('resolves every code to its resident, in file order (Shift_JIS file with a header)', async () => {
    const [a, b] = await residents(2);
    const bytes = new Uint8Array([
      ...SJIS_HEADER,
      0x0d,
      0x0a,
      ...ascii(`${b!.code},`),
      ...SJIS_YAMADA,
      0x0d,
      0x0a,
      ...ascii(`${a!.code},`),
      ...SJIS_YAMADA,
      0x0d,
      0x0a,
    ]);
    const check = await checkAudienceFile(database.connection.db, bytes);
    expect(check).toEqual({
      ok: true,
      codes: [b!.code, a!.code],
      residentIds: [b!.id, a!.id],
      encoding: 'shift_jis',
    });
  });

  it('refuses the whole list when any row is bad, naming unknown residents by line', async () => {
    const [a, b] = await residents(2);
    const text = ['住民票コード', a!.code, UNKNOWN, '', b!.code, 'x', a!.code].join('\r\n');
    const check = await checkAudienceFile(
      database.connection.db,
      new Uint8Array([...BOM, ...utf8(text)]),
    );
    expect(check).toEqual({
      ok: false,
      fileError: null,
      rowCount: 5,
      rowErrors: [
        { line: 3, value: UNKNOWN, problem: 'unknown' },
        { line: 6, value: 'x', problem: 'format' },
        { line: 7, value: a!.code, problem: 'duplicate', firstLine: 2 },
      ],
    });
  });

  it('refuses a file with bytes neither UTF-8 nor Shift_JIS can hold, and reports a quote never closed', async () => {
    const [a] = await residents(1);
    const broken = new Uint8Array([...ascii(`${a!.code}\r\n`), 0x81, 0x0d, 0x0a]);
    expect(await checkAudienceFile(database.connection.db, broken)).toEqual({
      ok: false,
      fileError: 'unreadable',
      rowCount: 0,
      rowErrors: [],
    });
    const unclosed = utf8(`${a!.code}\r\n"12345678901\r\n23456789012\r\n`);
    expect(await checkAudienceFile(database.connection.db, unclosed)).toMatchObject({
      ok: false,
      rowErrors: [{ line: 2, value: '"', problem: 'format' }],
    });
  });

  it('checks 100,000 codes in one query', async () => {
    const [a] = await residents(1);
    const codes = Array.from({ length: MAX_AUDIENCE_ROWS - 1 }, (_, i) =>
      String(10_000_000_000 + i * 7),
    );
    const started = Date.now();
    const check = await checkAudienceUpload(
      database.connection.db,
      new File([[a!.code, ...codes].join('\n')], 'big.csv'),
      undefined,
    );
    expect(check?.ok).toBe(false);
    if (check?.ok !== false) return;
    // Random test codes could collide with one of these; nearly all are unknown.
    expect(check.rowErrors.length).toBeGreaterThan(MAX_AUDIENCE_ROWS - 10);
    expect(check.rowErrors[0]).toMatchObject({ line: 2, problem: 'unknown' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const report = audienceReport(check, 3);
    expect(report.listed.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(report.more).toEqual([
      expect.objectContaining({ problem: 'unknown', lines: expect.stringMatching(/^5–/) }),
    ]);
  });

  it('prefers a newly attached file to codes carried from an earlier check', async () => {
    const [a, b] = await residents(2);
    const db = database.connection.db;
    const carried = await checkAudienceUpload(db, undefined, `${a!.code}\n${b!.code}`);
    expect(carried).toMatchObject({ ok: true, residentIds: [a!.id, b!.id] });
    const replaced = await checkAudienceUpload(db, new File([b!.code], 'b.csv'), a!.code);
    expect(replaced).toMatchObject({ ok: true, residentIds: [b!.id] });
    expect(await checkAudienceUpload(db, new File([], ''), undefined)).toBeNull();
  });

  it('refuses an attached empty (0-byte) file as holding no residents, also over carried codes', async () => {
    const [a] = await residents(1);
    const db = database.connection.db;
    const empty = { ok: false, fileError: 'empty', rowCount: 0, rowErrors: [] };
    expect(await checkAudienceUpload(db, new File([], 'list.csv'), undefined)).toEqual(empty);
    expect(await checkAudienceUpload(db, new File([], 'list.csv'), a!.code)).toEqual(empty);
  });
});

describe('form helpers', () => {
  it('condenses line numbers into ranges', () => {
    expect(lineRanges([3, 5, 6, 7, 9])).toBe('3, 5–7, 9');
    expect(lineRanges([])).toBe('');
  });

  it('checks the local government code check digit', () => {
    for (const code of ['142107', '142085', '142018', '131016', '141011', '141020'])
      expect(isLocalGovernmentCode(code), code).toBe(true);
    for (const code of ['142108', '14210', '1421077', 'abcdef'])
      expect(isLocalGovernmentCode(code), code).toBe(false);
  });
});
