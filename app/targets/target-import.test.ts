/**
 * Importing the card-issuance list on a real database: staged, previewed, confirmed once,
 * re-imported without change, updated by application ID, and never half-applied.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { targetListCp932, useImportSetup } from '../../test/support/target-import.ts';
import {
  confirmTargetImport,
  MAX_TARGET_FILE_BYTES,
  previewTargetImport,
  uploadTargetImport,
} from './target-import.service.server.ts';
import { stageUploadedImport } from './target-import-staging.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const setup = useImportSetup(database);

const targets = (city: string) =>
  db()
    .selectFrom('pickupTarget')
    .select(['applicationId', 'name', 'address', 'state'])
    .where('municipalityCode', '=', city)
    .orderBy('applicationId')
    .execute();

const audited = (action: string, importId: string) =>
  db()
    .selectFrom('auditLog')
    .select(['details'])
    .where('action', '=', action)
    .where('targetId', '=', importId)
    .execute();

const upload = (city: string, bytes: Uint8Array, fileName = 'list.csv') =>
  uploadTargetImport(db(), setup.boss, setup.clerk, { municipalityCode: city, fileName, bytes });

/** Uploaded, then staged as the job stages it. */
async function stage(city: string, bytes: Uint8Array) {
  const uploaded = await upload(city, bytes);
  if (uploaded.outcome !== 'queued') throw new Error(`not queued: ${JSON.stringify(uploaded)}`);
  const staged = await stageUploadedImport(db(), {
    municipalityCode: city,
    importId: uploaded.importId,
  });
  if (staged.outcome !== 'staged') throw new Error(`not staged: ${JSON.stringify(staged)}`);
  return uploaded.importId;
}

describe('importing the card-issuance list', () => {
  it('stages, previews with every rejected line, confirms once, and knows the file again', async () => {
    const city = '142101';
    const file = firstList();
    const importId = await stage(city, file);
    expect(await targets(city)).toEqual([]); // nothing before the confirmation

    const preview = await previewTargetImport(db(), city, importId);
    expect(preview).toMatchObject({
      state: 'staged',
      counts: { new: 3, updated: 0, unchanged: 0, rejected: 1 },
      problems: [{ line: 4, reason: 'date', detail: 'date' }],
    });

    const [first, second] = await Promise.all([
      confirmTargetImport(db(), setup.clerk, { municipalityCode: city, importId }),
      confirmTargetImport(db(), setup.clerk, { municipalityCode: city, importId }),
    ]);
    expect([first, second].map((c) => c.outcome)).toEqual(['confirmed', 'confirmed']);
    expect([first, second].filter((c) => 'replayed' in c && !c.replayed)).toHaveLength(1);
    expect(first).toMatchObject({ counts: { new: 3, updated: 0, unchanged: 0 } });
    expect(await targets(city)).toEqual([
      { applicationId: 'A1', name: '髙橋 太郎', address: '三浦市城山町', state: 'imported' },
      { applicationId: 'A2', name: '山﨑 花子', address: '三浦市初声町', state: 'imported' },
      { applicationId: 'A4', name: '渡邉 一', address: '三浦市三崎', state: 'imported' },
    ]);
    expect(await audited('targets.import', importId)).toEqual([
      { details: { new: 3, updated: 0, unchanged: 0 } },
    ]);
    expect(await audited('targets.import_upload', importId)).toEqual([
      { details: { bytes: file.byteLength, encoding: 'shift_jis' } },
    ]);
    expect(await audited('targets.import_stage', importId)).toEqual([
      { details: { rows: 3, rejected: 1, uploadedBy: setup.clerk.actorId } },
    ]);

    expect(await upload(city, file, 'list (1).csv')).toMatchObject({
      outcome: 'already_imported',
      importId,
    });
  });

  it('a later list updates by application ID, keeps each target where it is in its lifecycle, and says what changed', async () => {
    const city = '142102';
    await confirmTargetImport(db(), setup.clerk, {
      municipalityCode: city,
      importId: await stage(city, firstList()),
    });
    await db()
      .updateTable('pickupTarget')
      .set({ state: 'setup_done' })
      .where('municipalityCode', '=', city)
      .where('applicationId', '=', 'A1')
      .execute();

    const later = targetListCp932([
      'A1,MN1,髙橋 太郎,タカハシ タロウ,S55.12.3,男,2380101,三浦市白石町', // moved
      'A2,MN2,山﨑 花子,ヤマサキ ハナコ,令和元年5月1日,女,2380101,三浦市初声町', // the same
      'A5,MN5,新井 新,アライ アラタ,2001-01-01,男,,三浦市南下浦町', // new
    ]);
    const importId = await stage(city, later);
    expect(await previewTargetImport(db(), city, importId)).toMatchObject({
      counts: { new: 1, updated: 1, unchanged: 1, rejected: 0 },
      changes: [
        {
          line: 2,
          applicationId: 'A1',
          fields: [{ field: 'address', before: '三浦市城山町', after: '三浦市白石町' }],
        },
      ],
    });
    expect(
      await confirmTargetImport(db(), setup.clerk, { municipalityCode: city, importId }),
    ).toMatchObject({ outcome: 'confirmed', counts: { new: 1, updated: 1, unchanged: 1 } });
    expect(await targets(city)).toEqual([
      { applicationId: 'A1', name: '髙橋 太郎', address: '三浦市白石町', state: 'setup_done' },
      { applicationId: 'A2', name: '山﨑 花子', address: '三浦市初声町', state: 'imported' },
      { applicationId: 'A4', name: '渡邉 一', address: '三浦市三崎', state: 'imported' },
      { applicationId: 'A5', name: '新井 新', address: '三浦市南下浦町', state: 'imported' },
    ]);
  });

  it('a failure while applying leaves no target and the import staged', async () => {
    const city = '142103';
    const importId = await stage(city, firstList());
    await sql`
      create function test_refuse_target() returns trigger language plpgsql as $$
      begin raise exception 'forced failure while applying'; end $$`.execute(db());
    await sql`
      create trigger test_refuse_target before insert on pickup_target for each row
      when (new.application_id = 'A4') execute function test_refuse_target()`.execute(db());
    try {
      await expect(
        confirmTargetImport(db(), setup.clerk, { municipalityCode: city, importId }),
      ).rejects.toThrow(/forced failure while applying/);
    } finally {
      await sql`drop trigger test_refuse_target on pickup_target`.execute(db());
      await sql`drop function test_refuse_target()`.execute(db());
    }
    expect(await targets(city)).toEqual([]);
    expect(await previewTargetImport(db(), city, importId)).toMatchObject({ state: 'staged' });
    expect(await audited('targets.import', importId)).toEqual([]);
  });

  it('refuses a binary file, a file over 50 MB, another encoding and a wrong header, and stores and queues nothing', async () => {
    const city = '142104';
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'binary'],
      [new Uint8Array(MAX_TARGET_FILE_BYTES + 1).fill(0x41), 'too_large'],
      [new Uint8Array([0xff, 0xfe, 0xfd, 0x0a, 0x82, 0xa0, 0x0a, 0xff, 0x0a]), 'encoding'],
      [new TextEncoder().encode('氏名,住所\r\n山田,三浦市\r\n'), 'header'],
      [new Uint8Array(), 'empty'],
    ];
    const jobsBefore = await importJobs();
    for (const [bytes, reason] of cases)
      expect(await upload(city, bytes, 'x.csv')).toMatchObject({
        outcome: 'refused',
        problem: { reason },
      });
    const imports = await db()
      .selectFrom('targetImport')
      .select('id')
      .where('municipalityCode', '=', city)
      .execute();
    expect(imports).toEqual([]);
    expect(await importJobs()).toBe(jobsBefore);
  });
});

const importJobs = async () =>
  Number(
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from pgboss.job where name = 'targets.import'`.execute(db())
    ).rows[0]?.n,
  );

/** Three good lines and one with an impossible date (line 4). */
function firstList(): Uint8Array {
  return targetListCp932([
    'A1,MN1,髙橋 太郎,タカハシ タロウ,S55.12.3,男,2380101,三浦市城山町',
    'A2,MN2,山﨑 花子,ヤマサキ ハナコ,令和元年5月1日,女,2380101,三浦市初声町',
    'A3,MN3,日付 不正,,2026年2月30日,女,2380101,三浦市',
    'A4,MN4,渡邉 一,,平成元年1月8日,2,,三浦市三崎',
  ]);
}
