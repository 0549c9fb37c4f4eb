/**
 * Exporting targets on a real database: every managed field and never the password, page by
 * page, formula-safe, recorded once, CP932 refused when it cannot hold a name, and the file
 * going back in through the import as "unchanged" in both encodings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { staffWithSession } from '../../test/support/routes.ts';
import { readCsv } from '../csv/csv-read.ts';
import { csvStream, encodeCp932, type CsvOutputEncoding } from '../csv/csv-stream.server.ts';
import { credentialsForLetters } from './target-credentials.service.server.ts';
import { TARGET_EXPORT_HEADER } from './target-export-csv.ts';
import { checkTargetExport, exportTargets } from './target-export.service.server.ts';
import { confirmTargetImport, previewTargetImport } from './target-import.service.server.ts';
import { moveTarget, recordHandover } from './target-lifecycle.service.server.ts';
import { stageTargetFile } from '../../test/support/target-import.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';
let clerk: { actorType: 'staff'; actorId: string; onBehalfOfResidentId: null; ip: string };

beforeAll(async () => {
  const staff = await staffWithSession(db(), ['targets:import', 'targets:export']);
  clerk = {
    actorType: 'staff',
    actorId: staff.accountId,
    onBehalfOfResidentId: null,
    ip: '192.0.2.47',
  };
});

const utf8 = (lines: string[]) =>
  new TextEncoder().encode([HEADER, ...lines].join('\r\n') + '\r\n');

async function importFile(city: string, bytes: Uint8Array, fileName = 'list.csv') {
  const staged = await stageTargetFile(database.connection, clerk, {
    municipalityCode: city,
    fileName,
    bytes,
  });
  if (staged.outcome !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  return staged.importId;
}

async function importList(city: string, lines: string[]) {
  const importId = await importFile(city, utf8(lines));
  await confirmTargetImport(db(), clerk, { municipalityCode: city, importId });
  return importId;
}

/** The whole download, as the route would send it. */
async function download(
  city: string,
  encoding: CsvOutputEncoding,
  filter: { state?: 'issued'; importId?: string } = {},
  batch?: number,
) {
  const result = await exportTargets(db(), clerk, { municipalityCode: city, ...filter }, encoding, {
    batch,
  });
  if (result.outcome !== 'ready') throw new Error(`refused: ${JSON.stringify(result)}`);
  const chunks: Uint8Array[] = [];
  const reader = csvStream(TARGET_EXPORT_HEADER, result.lines, encoding).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    chunks.push(next.value);
  return { rows: result.rows, chunks, bytes: Buffer.concat(chunks) };
}

const recordsOf = (bytes: Uint8Array) => readCsv(bytes).records.map((r) => r.fields);

describe('exporting targets', () => {
  it('writes every managed field, the hand-over with it, and never the password', async () => {
    const city = '142201';
    await importList(city, [
      'E0001,MN-E0001,髙橋　太郎,タカハシ　タロウ,S55.12.3,男,238-0101,三浦市南下浦町上宮田1',
      'E0002,MN-E0002,山﨑 花子,,1990-01-02,女,,三浦市初声町',
    ]);
    const [first] = await db()
      .selectFrom('pickupTarget')
      .select('id')
      .where('municipalityCode', '=', city)
      .where('applicationId', '=', 'E0001')
      .execute();
    const [letter] = await credentialsForLetters(db(), secrets, clerk, city, [first!.id]);
    for (const to of ['setup_done', 'letter_printed', 'booked'] as const)
      await moveTarget(db(), clerk, city, first!.id, to);
    await recordHandover(db(), clerk, city, first!.id, {
      issuedAt: new Date('2026-12-02T01:30:00Z'),
      identityDocuments: ['notice_letter', 'driving_licence'],
      faceCheck: 'matched',
      userCertificate: true,
      signingCertificate: false,
      pinSetup: true,
    });

    const { bytes } = await download(city, 'utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, issued, waiting, ...rest] = recordsOf(bytes);
    expect(rest).toEqual([]);
    expect(header).toEqual(TARGET_EXPORT_HEADER);
    const cell = (row: string[] | undefined, name: string) => row?.[header!.indexOf(name)];
    expect(issued!.slice(0, 8)).toEqual([
      'E0001',
      'MN-E0001',
      '髙橋　太郎',
      'タカハシ　タロウ',
      '1980-12-03',
      '男',
      '2380101',
      '三浦市南下浦町上宮田1',
    ]);
    expect(cell(issued, '状態')).toBe('issued');
    expect(cell(issued, '予約番号')).toBe(letter!.reservationId);
    expect(cell(issued, '予約情報版')).toBe(String(letter!.version));
    expect(cell(issued, '交付日時')).toBe('2026-12-02T10:30:00.000+09:00');
    expect(cell(issued, '交付職員ID')).toBe(clerk.actorId);
    expect(cell(issued, '交付職員')).toMatch(/^職員\d{4}$/);
    expect(cell(issued, '交付カード製造管理番号')).toBe('MN-E0001');
    expect(cell(issued, '本人確認書類')).toBe('notice_letter driving_licence');
    expect(cell(issued, '顔照合')).toBe('matched');
    expect(cell(issued, '利用者証明用電子証明書')).toBe('1');
    expect(cell(issued, '署名用電子証明書')).toBe('0');
    expect(cell(issued, '暗証番号設定')).toBe('1');
    const tokyoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/;
    for (const name of ['取込日時', '状態変更日時', '更新日時', '予約情報発行日時'])
      expect(cell(issued, name)).toMatch(tokyoTime);
    // Every state it went through has its time, in order; the others are empty.
    const steps = ['交付前設定日時', '通知書印刷日時', '予約日時', '交付済み日時'];
    for (const name of steps) expect(cell(issued, name)).toMatch(tokyoTime);
    const times = steps.map((name) => cell(issued, name)!);
    expect([...times].sort()).toEqual(times);
    expect(cell(issued, '交付済み日時')).toBe(cell(issued, '状態変更日時'));
    expect(cell(issued, '取消日時')).toBe('');
    expect(cell(issued, '再交付日時')).toBe('');
    // The password appears nowhere, in any form.
    const text = bytes.toString('utf8');
    const stored = await db()
      .selectFrom('pickupTarget')
      .select(['passwordHash', 'passwordSealed'])
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    for (const secret of [letter!.password, stored.passwordHash!, stored.passwordSealed!])
      expect(text).not.toContain(secret);

    expect(waiting!.slice(0, 9)).toEqual([
      'E0002',
      'MN-E0002',
      '山﨑 花子',
      '',
      '1990-01-02',
      '女',
      '',
      '三浦市初声町',
      'imported',
    ]);
    expect(cell(waiting, '予約番号')).toBe('');
    expect(cell(waiting, '交付日時')).toBe('');

    // By state: only the issued one.
    const byState = await download(city, 'utf-8', { state: 'issued' });
    expect(
      recordsOf(byState.bytes)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['E0001']);
  });

  it('records each export once, with its filter, encoding and row count', async () => {
    const city = '142202';
    const importId = await importList(city, ['F0001,MN-F0001,三浦 一,,1970-01-01,男,,三浦市']);
    await download(city, 'cp932', { importId });
    const entries = await db()
      .selectFrom('auditLog')
      .select(['actorId', 'targetType', 'targetId', 'outcome', 'details'])
      .where('action', '=', 'targets.export')
      .where('targetId', '=', city)
      .execute();
    expect(entries).toEqual([
      {
        actorId: clerk.actorId,
        targetType: 'municipality',
        targetId: city,
        outcome: 'success',
        details: { state: null, importId, encoding: 'cp932', rows: 1 },
      },
    ]);
  });

  it('reads page by page: more rows than one batch arrive as one chunk per page', async () => {
    const city = '142203';
    const lines = Array.from(
      { length: 25 },
      (_, i) => `G${String(i).padStart(4, '0')},MN-G${i},三浦 ${i},,1970-01-01,女,,三浦市${i}`,
    );
    await importList(city, lines);
    const { rows, chunks, bytes } = await download(city, 'utf-8', {}, 10);
    expect(rows).toBe(25);
    // The header, then pages of 10, 10 and 5: never the whole list at once.
    expect(chunks).toHaveLength(4);
    const ids = recordsOf(bytes)
      .slice(1)
      .map((r) => r[0]);
    expect(ids).toEqual(lines.map((l) => l.split(',')[0]));
  });

  it('writes cells a spreadsheet would run as text, and shows bidi controls', async () => {
    const city = '142204';
    // Imports refuse such names and addresses; a target written another way may still hold them.
    await db()
      .insertInto('pickupTarget')
      .values([
        {
          municipalityCode: city,
          applicationId: '-1',
          manufactureNo: 'MN-X1',
          name: '=HYPERLINK("http://example.com")',
          nameKana: '@SUM(1)',
          birthDate: '1970-01-01',
          sex: 'other',
          address: '+三浦市\u202Eabc',
        },
      ])
      .execute();
    const { bytes } = await download(city, 'utf-8');
    const text = bytes.toString('utf8');
    expect(text).toContain(
      `'-1,MN-X1,"'=HYPERLINK(""http://example.com"")",'@SUM(1),1970-01-01,その他,,'+三浦市⟨U+202E⟩abc,`,
    );
    expect(text).not.toContain('\u202E');
  });

  it('refuses a CP932 export that cannot hold a name, naming how many rows and which characters', async () => {
    const city = '142205';
    await importList(city, [
      'H0001,MN-H0001,𠮷田 一,,1970-01-01,男,,三浦市',
      'H0002,MN-H0002,𠮷野 二,,1970-01-01,男,,三浦市',
      'H0003,MN-H0003,髙橋 三,,1970-01-01,男,,三浦市',
    ]);
    expect(
      await checkTargetExport(db(), { municipalityCode: city }, 'cp932', { batch: 2 }),
    ).toEqual({
      outcome: 'checked',
      rows: 3,
      unmappable: { rows: 2, characters: ['𠮷'] },
    });
    const result = await exportTargets(db(), clerk, { municipalityCode: city }, 'cp932');
    expect(result).toEqual({
      outcome: 'refused',
      rows: 3,
      unmappable: { rows: 2, characters: ['𠮷'] },
    });
    const entries = await db()
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'targets.export')
      .where('targetId', '=', city)
      .execute();
    expect(entries).toEqual([]); // nothing left the building
    // UTF-8 holds every name.
    const { bytes } = await download(city, 'utf-8');
    expect(bytes.toString('utf8')).toContain('𠮷田 一');
  });
});

describe('the round trip', () => {
  for (const encoding of ['utf-8', 'cp932'] as const)
    it(`re-imports its own ${encoding} export as unchanged, 異体字 and all`, async () => {
      const city = encoding === 'utf-8' ? '142211' : '142212';
      const list = [
        'R0001,MN-R0001,髙橋　太郎,タカハシ　タロウ,S55.12.3,男,238-0101,"三浦市南下浦町上宮田1,2"',
        'R0002,MN-R0002,山﨑 花子,やまさき はなこ,令和元年5月1日,女,〒238-0101,三浦市初声町',
        'R0003,MN-R0003,渡邉 一,,平成元年1月8日,9,,三浦市三崎町',
        'R0004,MN-R0004,齋藤 〜 二,,1960-02-29,その他,,"三浦市 ""城山"" 町"',
        '-R0005,MN-R0005,邊見 三,,1950-03-03,2,,三浦市',
      ];
      const bytes =
        encoding === 'utf-8'
          ? utf8(list)
          : (() => {
              const r = encodeCp932([HEADER, ...list].join('\r\n') + '\r\n');
              if (!r.ok) throw new Error('not CP932');
              return r.bytes;
            })();
      const first = await importFile(city, bytes);
      await confirmTargetImport(db(), clerk, { municipalityCode: city, importId: first });

      const exported = await download(city, encoding);
      expect(exported.rows).toBe(5);
      if (encoding === 'cp932') expect(readCsv(exported.bytes).encoding).toBe('shift_jis');
      const again = await importFile(city, exported.bytes, 'export.csv');
      const preview = await previewTargetImport(db(), city, again);
      expect(preview).toMatchObject({
        counts: { new: 0, updated: 0, unchanged: 5, rejected: 0 },
        problems: [],
      });
    });

  it('still refuses a header it does not know', async () => {
    const bytes = new TextEncoder().encode(
      `${HEADER},備考\r\nZ1,MN-Z1,三浦 一,,1970-01-01,男,,三浦市,x\r\n`,
    );
    expect(
      await stageTargetFile(database.connection, clerk, {
        municipalityCode: '142213',
        fileName: 'x.csv',
        bytes,
      }),
    ).toEqual({
      outcome: 'refused',
      problem: { reason: 'header', missing: [], unknown: ['備考'], repeated: [] },
    });
  });
});
