/**
 * Importing the renewal list on a real database: CP932 with 異体字 and 和暦, every bad line
 * with its number, duplicates in one file, staged → previewed → confirmed once, and the same
 * file again changing nothing.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import {
  useRenewalClerk,
  validRegisterCode,
  withWrongCheckDigit,
} from '../../test/support/renewals.ts';
import { encodeCp932 } from '../csv/csv-stream.server.ts';
import {
  confirmRenewalImport,
  previewRenewalImport,
  stageRenewalImport,
} from './renewal-import.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const clerk = useRenewalClerk(db, ['targets:import']);

const A = validRegisterCode('1234567890');
const B = validRegisterCode('2345678901');
const C = validRegisterCode('3456789012');

function cp932(lines: string[]): Uint8Array {
  const encoded = encodeCp932(lines.join('\r\n') + '\r\n');
  if (!encoded.ok) throw new Error(`not CP932: ${encoded.unrepresentable.join('')}`);
  return encoded.bytes;
}

const renewals = (city: string) =>
  db()
    .selectFrom('renewalTarget')
    .select([
      'residentRegisterCode',
      'name',
      'birthDate',
      'noticeNumber',
      'certificateExpiresOn',
      'state',
      'origin',
    ])
    .where('municipalityCode', '=', city)
    .orderBy('residentRegisterCode')
    .execute();

async function stage(city: string, bytes: Uint8Array) {
  const staged = await stageRenewalImport(db(), clerk(), {
    municipalityCode: city,
    fileName: 'renewals.csv',
    bytes,
  });
  if (staged.outcome !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  return staged.importId;
}

describe('importing the renewal list', () => {
  it('reads CP932 with 異体字 and 和暦, columns in any order, and reports every bad line by number', async () => {
    const city = '990001';
    const file = cp932([
      '通知番号,氏名,住所,生年月日,住民票コード,氏名カナ,有効期限',
      `R-001,髙橋 太郎,三浦市城山町1-1,S55.12.3,${A},タカハシ タロウ,令和8年12月3日`,
      `R-002,山﨑 花子,三浦市初声町,平成元年1月8日,${B},,`,
      `R-003,誤り 一,三浦市,1990-01-01,${withWrongCheckDigit(C)},,`, // line 4
      `R-004,日付 不正,三浦市,令和0年1月1日,${C},,`, // line 5
      `R-005,重複 二,三浦市,1990-01-01,${A},,`, // line 6: A again
      `R-006,=HYPERLINK("x"),三浦市,1990-01-01,${C},,`, // line 7
      `R-007,欠け,,1990-01-01,${C},,`, // line 8
      'R-008,列が足りない', // line 9
      `R 009!,番号 不正,三浦市,1990-01-01,${C},,`, // line 10
      '',
    ]);
    const importId = await stage(city, file);
    expect(await renewals(city)).toEqual([]);

    const preview = await previewRenewalImport(db(), { municipalityCode: city, importId });
    expect(preview).toMatchObject({
      state: 'staged',
      counts: { new: 2, updated: 0, unchanged: 0, rejected: 7 },
      problems: [
        { line: 4, reason: 'register_code' },
        { line: 5, reason: 'date', column: 'birthDate', detail: 'year' },
        { line: 6, reason: 'duplicate', firstLine: 2 },
        { line: 7, reason: 'formula', column: 'name' },
        { line: 8, reason: 'required', column: 'address' },
        { line: 9, reason: 'field_count' },
        { line: 10, reason: 'notice_number' },
      ],
    });

    expect(
      await confirmRenewalImport(db(), clerk(), { municipalityCode: city, importId }),
    ).toMatchObject({ outcome: 'confirmed', replayed: false, counts: { new: 2 } });
    expect(await renewals(city)).toEqual([
      {
        residentRegisterCode: A,
        name: '髙橋 太郎',
        birthDate: '1980-12-03',
        noticeNumber: 'R-001',
        certificateExpiresOn: '2026-12-03',
        state: 'active',
        origin: 'import',
      },
      {
        residentRegisterCode: B,
        name: '山﨑 花子',
        birthDate: '1989-01-08',
        noticeNumber: 'R-002',
        certificateExpiresOn: null,
        state: 'active',
        origin: 'import',
      },
    ]);
    // Confirming again answers with the same figures and changes nothing.
    expect(
      await confirmRenewalImport(db(), clerk(), { municipalityCode: city, importId }),
    ).toMatchObject({ outcome: 'confirmed', replayed: true, counts: { new: 2 } });
    const audit = await db()
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('targetId', '=', importId)
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'renewals.import_stage', details: { rows: 2, rejected: 7 } },
      { action: 'renewals.import', details: { new: 2, updated: 0, unchanged: 0 } },
    ]);

    // The same file again is recognised and stages nothing.
    expect(
      await stageRenewalImport(db(), clerk(), {
        municipalityCode: city,
        fileName: 'x.csv',
        bytes: file,
      }),
    ).toEqual({ outcome: 'already_imported', importId });
  });

  it('reads UTF-8 with a BOM, updates an active person by code, and leaves a closed one closed', async () => {
    const city = '990002';
    const header = '住民票コード,氏名,氏名カナ,生年月日,住所,通知番号';
    const first = new TextEncoder().encode(
      `\uFEFF${header}\r\n${A},𠮷田 一,ヨシダ ハジメ,1970-05-05,三浦市,N-1\r\n${B},齋藤 二,,1971-01-01,三浦市,N-2\r\n`,
    );
    await confirmRenewalImport(db(), clerk(), {
      municipalityCode: city,
      importId: await stage(city, first),
    });
    await db()
      .updateTable('renewalTarget')
      .set({ state: 'renewed', renewedBy: clerk().actorId, renewedAt: new Date() })
      .where('municipalityCode', '=', city)
      .where('residentRegisterCode', '=', B)
      .execute();

    const later = new TextEncoder().encode(
      `${header}\n${A},𠮷田 一,ヨシダ ハジメ,1970-05-05,三浦市三崎,N-1\n${B},齋藤 二,,1971-01-01,三浦市,N-2\n${C},新井 三,,1972-02-02,三浦市,N-3\n`,
    );
    const importId = await stage(city, later);
    expect(await previewRenewalImport(db(), { municipalityCode: city, importId })).toMatchObject({
      counts: { new: 1, updated: 1, unchanged: 1, rejected: 0 },
    });
    await confirmRenewalImport(db(), clerk(), { municipalityCode: city, importId });
    expect((await renewals(city)).map((r) => [r.residentRegisterCode, r.name, r.state])).toEqual([
      [A, '𠮷田 一', 'active'],
      [B, '齋藤 二', 'renewed'],
      [C, '新井 三', 'active'],
    ]);
  });

  it('refuses a binary file and a wrong header as a whole, and stores nothing', async () => {
    const city = '990003';
    const cases: [Uint8Array, object][] = [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), { reason: 'binary' }],
      [
        new TextEncoder().encode('氏名,住所,電話\r\n山田,三浦市,0\r\n'),
        { reason: 'header', unknown: ['電話'] },
      ],
      [new Uint8Array(), { reason: 'empty' }],
    ];
    for (const [bytes, problem] of cases)
      expect(
        await stageRenewalImport(db(), clerk(), {
          municipalityCode: city,
          fileName: 'x.csv',
          bytes,
        }),
      ).toMatchObject({ outcome: 'refused', problem });
    const imports = await db()
      .selectFrom('renewalImport')
      .select('id')
      .where('municipalityCode', '=', city)
      .execute();
    expect(imports).toEqual([]);
  });
});
