/**
 * The job's part of an import (decision 0043): the stored file is read chunk by chunk
 * (readCsvChunks), each chunk's good lines and refused lines written to staging with the
 * progress in one short transaction, so the page can show how far it has got and memory holds
 * one chunk's text, not the file's. At the end the import is 'staged' (its bytes cleared) —
 * or, when anything goes wrong, 'failed' with a reason and nothing staged kept.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { readCsvChunks } from '../csv/csv-read.ts';
import {
  parseTargetRecords,
  targetHeader,
  type TargetHeader,
  type TargetLineProblem,
} from './target-csv.ts';
import {
  clearStaging,
  findFileToStage,
  insertProblems,
  insertStagingRows,
  updateImportFailed,
  updateImportStaged,
  updateProgress,
} from './target-import.repository.server.ts';

/** Physical lines per chunk: about 450 KB of CP932 text, a few staging inserts. */
export const STAGE_CHUNK_LINES = 5_000;

type Key = { municipalityCode: string; importId: string };

export type StagingOutcome =
  | { outcome: 'staged'; rows: number; rejected: number }
  | { outcome: 'failed'; failure: 'header' | 'empty' | 'internal'; error?: unknown }
  /** Nothing to do: already staged, failed or gone (a retried or repeated job). */
  | { outcome: 'skipped' };

type StagingOptions = {
  chunkLines?: number;
  onChunk?: (linesRead: number) => Promise<void> | void;
};

/**
 * One stager per import. pg-boss may start a job again while its first run still works (a
 * worker that stopped answering), and tests stage beside the app's own worker: the run holds a
 * session advisory lock on one reserved connection, and a second run that cannot take it
 * skips. The lock goes with the connection if the process dies.
 */
export async function stageUploadedImport(
  db: Db,
  key: Key,
  options: StagingOptions = {},
): Promise<StagingOutcome> {
  const lockKey = `targets.import:${key.municipalityCode}:${key.importId}`;
  return db.connection().execute(async (conn) => {
    const taken = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked`.execute(conn);
    if (!taken.rows[0]?.locked) return { outcome: 'skipped' } as const;
    try {
      return await stageLocked(conn, key, options);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(conn);
    }
  });
}

async function stageLocked(
  db: Db,
  key: Key,
  { chunkLines = STAGE_CHUNK_LINES, onChunk }: StagingOptions,
): Promise<StagingOutcome> {
  const file = await findFileToStage(db, key.municipalityCode, key.importId);
  if (!file?.fileBytes) return { outcome: 'skipped' };
  try {
    // A run interrupted by a dead worker left part of the file staged: start again.
    await clearStaging(db, key);
    let header: TargetHeader | undefined;
    const seen = new Map<string, number>();
    let rows = 0;
    let rejected = 0;
    let linesRead = 0;
    for (const chunk of readCsvChunks(file.fileBytes, file.encoding, { chunkLines })) {
      let records = chunk.records;
      if (!header && records[0]) {
        const found = targetHeader(records[0].fields);
        if (!found.ok) return await fail(db, key, 'header');
        header = found.header;
        records = records.slice(1);
      }
      const parsed = header
        ? parseTargetRecords(records, header, seen)
        : { rows: [], problems: [] as TargetLineProblem[] };
      const problems: TargetLineProblem[] = [...parsed.problems, ...chunk.errors];
      linesRead = Math.max(0, chunk.linesRead - 1);
      await db.transaction().execute(async (trx) => {
        await insertStagingRows(trx, key, parsed.rows);
        await insertProblems(trx, key, problems);
        await updateProgress(trx, key, linesRead);
      });
      rows += parsed.rows.length;
      rejected += problems.length;
      await onChunk?.(linesRead);
    }
    if (!header) return await fail(db, key, 'empty');
    const done = { rows, rejected, linesRead, at: new Date() };
    await db.transaction().execute(async (trx) => {
      const staged = await updateImportStaged(trx, key, done);
      if (!staged) return;
      await recordAudit(trx, {
        actorType: 'system',
        actorId: null,
        onBehalfOfResidentId: null,
        ip: null,
        action: 'targets.import_stage',
        targetType: 'target_import',
        targetId: key.importId,
        outcome: 'success',
        details: { rows, rejected, uploadedBy: staged.createdBy },
      });
    });
    return { outcome: 'staged', rows, rejected };
  } catch (error) {
    return { ...(await fail(db, key, 'internal')), error };
  }
}

async function fail(
  db: Db,
  key: Key,
  failure: 'header' | 'empty' | 'internal',
): Promise<StagingOutcome & { outcome: 'failed' }> {
  await updateImportFailed(db, key, failure);
  return { outcome: 'failed', failure };
}
