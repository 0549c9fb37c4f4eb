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
  | { outcome: 'failed'; failure: StagingFailure; error?: unknown }
  /** Nothing to do: already staged, failed or gone (a retried or repeated job). */
  | { outcome: 'skipped' };

/** Why an import could not be staged; 'stopped' = its job died on every attempt. */
type StagingFailure = 'header' | 'empty' | 'internal' | 'stopped';

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
  const staged = await withStagingLock(db, key, (conn) => stageLocked(conn, key, options));
  return staged ?? { outcome: 'skipped' };
}

/** Runs `work` holding the import's staging lock, or answers undefined when a run holds it. */
async function withStagingLock<T>(
  db: Db,
  key: Key,
  work: (conn: Db) => Promise<T>,
): Promise<T | undefined> {
  const lockKey = `targets.import:${key.municipalityCode}:${key.importId}`;
  return db.connection().execute(async (conn) => {
    const taken = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked`.execute(conn);
    if (!taken.rows[0]?.locked) return undefined;
    try {
      return await work(conn);
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
  failure: StagingFailure,
): Promise<StagingOutcome & { outcome: 'failed' }> {
  await updateImportFailed(db, key, failure);
  return { outcome: 'failed', failure };
}

/**
 * The import's job failed every attempt (its worker died or it ran past its time each time) and
 * landed in the dead-letter queue: the import is 'failed' with the reason said on its page,
 * instead of "reading" for ever. An import that was staged meanwhile is left alone.
 */
export async function markImportStopped(db: Db, key: Key): Promise<boolean> {
  // A run still reading (its job timed out but the worker lives) holds the lock: let it finish.
  const stopped = await withStagingLock(db, key, (conn) => markStopped(conn, key));
  return stopped ?? false;
}

async function markStopped(db: Db, key: Key): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const stopped = await updateImportFailed(trx, key, 'stopped');
    if (!stopped) return false;
    await recordAudit(trx, {
      actorType: 'system',
      actorId: null,
      onBehalfOfResidentId: null,
      ip: null,
      action: 'targets.import_stopped',
      targetType: 'target_import',
      targetId: key.importId,
      outcome: 'failure',
      details: {},
    });
    return true;
  });
}
