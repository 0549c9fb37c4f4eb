/**
 * The import job (decision 0043) on a real database and a real pg-boss: the upload is stored
 * and queued, the job stages it chunk by chunk with its progress, a failure leaves the import
 * 'failed' with nothing staged or applied, and only a staged import can be confirmed.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { targetListCp932, useImportSetup } from '../../test/support/target-import.ts';
import { startWorkers } from '../../jobs/worker.ts';
import {
  targetImportDeadHandler,
  targetImportHandler,
} from '../../jobs/handlers/targets-import.ts';
import { createLogger } from '../platform/logger.server.ts';
import {
  confirmTargetImport,
  discardTargetImport,
  previewTargetImport,
  uploadTargetImport,
} from './target-import.service.server.ts';
import { markImportStopped, stageUploadedImport } from './target-import-staging.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const setup = useImportSetup(database);

/** `n` good lines; every tenth has an impossible date (令和0年). */
function list(n: number): Uint8Array {
  return targetListCp932(
    Array.from(
      { length: n },
      (_, k) =>
        `B${k + 1},MN${k + 1},髙橋 ${k + 1},タカハシ,${(k + 1) % 10 === 0 ? 'R0.1.1' : 'S55.12.3'},男,2380101,三浦市城山町${k + 1}`,
    ),
  );
}

async function uploaded(city: string, bytes: Uint8Array) {
  const result = await uploadTargetImport(db(), setup.boss, setup.clerk, {
    municipalityCode: city,
    fileName: 'list.csv',
    bytes,
  });
  if (result.outcome !== 'queued') throw new Error(JSON.stringify(result));
  return { municipalityCode: city, importId: result.importId };
}

const importRow = (importId: string) =>
  db()
    .selectFrom('targetImport')
    .select(['state', 'linesRead', 'linesTotal', 'failure', 'fileBytes'])
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
const staged = async (importId: string) =>
  Number(
    (
      await sql<{ n: number }>`
        select (select count(*) from target_import_row where import_id = ${importId})
             + (select count(*) from target_import_problem where import_id = ${importId}) as n`.execute(
        db(),
      )
    ).rows[0]!.n,
  );
const targetCount = async (city: string) =>
  (
    await db()
      .selectFrom('pickupTarget')
      .select('id')
      .where('municipalityCode', '=', city)
      .execute()
  ).length;

describe('the targets.import job', () => {
  it('stores the upload with its job, then stages it chunk by chunk with its progress', async () => {
    const key = await uploaded('142201', list(25));
    expect(await importRow(key.importId)).toMatchObject({
      state: 'staging',
      linesRead: 0,
      linesTotal: 25,
      fileBytes: expect.any(Buffer),
    });
    expect(await setup.boss.findJobs('targets.import', { data: key })).toHaveLength(1);
    expect(await previewTargetImport(db(), key.municipalityCode, key.importId)).toMatchObject({
      state: 'staging',
      progress: { linesRead: 0, linesTotal: 25 },
      counts: null,
    });

    const seen: { linesRead: number; state: string; rows: number }[] = [];
    const result = await stageUploadedImport(db(), key, {
      chunkLines: 10,
      onChunk: async () => {
        const row = await importRow(key.importId);
        seen.push({ linesRead: row.linesRead, state: row.state, rows: await staged(key.importId) });
      },
    });
    expect(result).toEqual({ outcome: 'staged', rows: 23, rejected: 2 });
    // The header is the first chunk's first line; each chunk's lines are written with its progress.
    expect(seen).toEqual([
      { linesRead: 9, state: 'staging', rows: 9 },
      { linesRead: 19, state: 'staging', rows: 19 },
      { linesRead: 25, state: 'staging', rows: 25 },
    ]);
    expect(await importRow(key.importId)).toMatchObject({
      state: 'staged',
      linesRead: 25,
      fileBytes: null,
    });
    const preview = await previewTargetImport(db(), key.municipalityCode, key.importId);
    expect(preview).toMatchObject({
      counts: { new: 23, updated: 0, unchanged: 0, rejected: 2 },
      problems: [
        { line: 11, reason: 'date', detail: 'year' },
        { line: 21, reason: 'date', detail: 'year' },
      ],
    });
    // A second delivery of the same job finds nothing to do.
    expect(await stageUploadedImport(db(), key)).toEqual({ outcome: 'skipped' });
  });

  it('finds a duplicate application ID in a later chunk than its first line', async () => {
    const bytes = targetListCp932(
      ['C1', 'C2', 'C3', 'C1'].map((id) => `${id},M,山田 一,,H1.1.8,女,,三浦市`),
    );
    const key = await uploaded('142202', bytes);
    await stageUploadedImport(db(), key, { chunkLines: 2 });
    expect(await previewTargetImport(db(), key.municipalityCode, key.importId)).toMatchObject({
      counts: { new: 3, rejected: 1 },
      problems: [{ line: 5, reason: 'duplicate', firstLine: 2 }],
    });
  });

  it('a failure while staging leaves the import failed with its reason, nothing staged, nothing to confirm', async () => {
    const city = '142203';
    const key = await uploaded(city, list(30));
    await sql`
      create function test_refuse_staging() returns trigger language plpgsql as $$
      begin raise exception 'forced failure while staging'; end $$`.execute(db());
    await sql`
      create trigger test_refuse_staging before insert on target_import_row for each row
      when (new.application_id = 'B15') execute function test_refuse_staging()`.execute(db());
    let result;
    try {
      result = await stageUploadedImport(db(), key, { chunkLines: 10 });
    } finally {
      await sql`drop trigger test_refuse_staging on target_import_row`.execute(db());
      await sql`drop function test_refuse_staging()`.execute(db());
    }
    expect(result).toMatchObject({ outcome: 'failed', failure: 'internal' });
    expect(await importRow(key.importId)).toMatchObject({
      state: 'failed',
      failure: 'internal',
      fileBytes: null,
    });
    expect(await staged(key.importId)).toBe(0);
    expect(await previewTargetImport(db(), city, key.importId)).toMatchObject({
      state: 'failed',
      failure: 'internal',
      counts: null,
    });
    expect(await confirmTargetImport(db(), setup.clerk, key)).toEqual({ outcome: 'not_staged' });
    expect(await targetCount(city)).toBe(0);
  });

  it('runs through pg-boss: the worker stages what the upload queued', async () => {
    const key = await uploaded('142204', list(12));
    await startWorkers(setup.boss, [targetImportHandler({ db: db() })], createLogger('silent'));
    const deadline = Date.now() + 15_000;
    while ((await importRow(key.importId)).state === 'staging' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await importRow(key.importId)).toMatchObject({ state: 'staged', linesRead: 12 });
    await setup.boss.offWork('targets.import');
  });

  it('an import whose job died on every attempt is marked failed, not left "reading"', async () => {
    const key = await uploaded('142206', list(7));
    const [job] = await setup.boss.findJobs('targets.import', { data: key });
    // The last attempt: a worker took the job and died with it; pg-boss fails it for good.
    await sql`update pgboss.job set retry_count = retry_limit where id = ${job!.id}`.execute(db());
    const [taken] = await setup.boss.fetch('targets.import');
    expect(taken?.id).toBe(job!.id);
    await setup.boss.fail('targets.import', job!.id, { message: 'worker died' });
    expect(await importRow(key.importId)).toMatchObject({ state: 'staging' });

    await startWorkers(setup.boss, [targetImportDeadHandler({ db: db() })], createLogger('silent'));
    const deadline = Date.now() + 15_000;
    while ((await importRow(key.importId)).state === 'staging' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await setup.boss.offWork('targets.import.dead');
    expect(await importRow(key.importId)).toMatchObject({
      state: 'failed',
      failure: 'stopped',
      fileBytes: null,
    });
    expect(await staged(key.importId)).toBe(0);
    const audit = await db()
      .selectFrom('auditLog')
      .select(['action', 'outcome'])
      .where('targetId', '=', key.importId)
      .where('action', '=', 'targets.import_stopped')
      .execute();
    expect(audit).toEqual([{ action: 'targets.import_stopped', outcome: 'failure' }]);
  });

  it('a dead letter leaves a staged import and its preview alone', async () => {
    const key = await uploaded('142207', list(6));
    await stageUploadedImport(db(), key);
    const before = await staged(key.importId);
    expect(before).toBe(6);
    expect(await markImportStopped(db(), key)).toBe(false);
    expect(await importRow(key.importId)).toMatchObject({ state: 'staged' });
    expect(await staged(key.importId)).toBe(before);
  });

  it('a discarded import is never applied, and confirming while it stages is refused', async () => {
    const city = '142205';
    const key = await uploaded(city, list(5));
    expect(await confirmTargetImport(db(), setup.clerk, key)).toEqual({ outcome: 'not_staged' });
    expect(await discardTargetImport(db(), setup.clerk, key)).toEqual({ outcome: 'not_staged' });
    await stageUploadedImport(db(), key);
    expect(await discardTargetImport(db(), setup.clerk, key)).toEqual({ outcome: 'discarded' });
    expect(await confirmTargetImport(db(), setup.clerk, key)).toEqual({ outcome: 'discarded' });
    expect(await targetCount(city)).toBe(0);
    const audit = await db()
      .selectFrom('auditLog')
      .select(['action', 'actorId'])
      .where('targetId', '=', key.importId)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'targets.import_upload',
      'targets.import_stage',
      'targets.import_discard',
    ]);
  });
});
