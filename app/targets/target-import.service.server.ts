/**
 * Importing the CS terminal's card-issuance list in two steps (decision 0042): an upload is
 * read, checked line by line and staged; the clerk sees the preview (new, updated, unchanged,
 * rejected with every line's reason); the confirmation applies every good line in one
 * transaction, so nothing is ever half-imported. Each step is recorded in its transaction.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { readCsv } from '../csv/csv-read.ts';
import { parseTargetCsv, type TargetFileProblem, type TargetLineProblem } from './target-csv.ts';
import {
  applyStagedRows,
  countStagedAgainstTargets,
  findConfirmedImportOfFile,
  findImport,
  insertImport,
  insertStagingRows,
  lockImportForUpdate,
  updateImportConfirmed,
} from './target-import.repository.server.ts';

/** The largest list accepted (a city's list of 100,000 lines is about 15 MB). */
export const MAX_TARGET_FILE_BYTES = 50 * 1024 * 1024;

type Staff = AuditActor & { actorId: string };
type Counts = { new: number; updated: number; unchanged: number };

export type StageOutcome =
  | { outcome: 'staged'; importId: string }
  | { outcome: 'already_imported'; importId: string; confirmedAt: Date | null }
  | { outcome: 'refused'; problem: TargetFileProblem | { reason: 'too_large' | 'binary' } };

export async function stageTargetImport(
  db: Db,
  actor: Staff,
  input: { municipalityCode: string; fileName: string; bytes: Uint8Array },
): Promise<StageOutcome> {
  const { municipalityCode, fileName, bytes } = input;
  if (bytes.byteLength > MAX_TARGET_FILE_BYTES)
    return { outcome: 'refused', problem: { reason: 'too_large' } };
  // A NUL byte never occurs in a text file in either encoding: this is not a list.
  if (bytes.includes(0)) return { outcome: 'refused', problem: { reason: 'binary' } };
  const sha256 = createHash('sha256').update(bytes).digest();
  const earlier = await findConfirmedImportOfFile(db, municipalityCode, sha256);
  if (earlier)
    return { outcome: 'already_imported', importId: earlier.id, confirmedAt: earlier.confirmedAt };

  const read = readCsv(bytes);
  const parsed = parseTargetCsv(read);
  if (!parsed.ok) return { outcome: 'refused', problem: parsed.problem };
  return db.transaction().execute(async (trx) => {
    const { id: importId } = await insertImport(trx, {
      municipalityCode,
      fileName,
      fileSha256: sha256,
      encoding: read.encoding,
      lineCount: parsed.rows.length + parsed.problems.length,
      problems: parsed.problems,
      createdBy: actor.actorId,
    });
    await insertStagingRows(trx, { municipalityCode, importId }, parsed.rows);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.import_stage',
      targetType: 'target_import',
      targetId: importId,
      outcome: 'success',
      details: { rows: parsed.rows.length, rejected: parsed.problems.length },
    });
    return { outcome: 'staged' as const, importId };
  });
}

export type ImportPreview = {
  importId: string;
  fileName: string;
  state: 'staged' | 'confirmed' | 'discarded';
  counts: Counts & { rejected: number };
  problems: TargetLineProblem[];
};

/** What confirming would do (or, once confirmed, what it did). */
export async function previewTargetImport(
  db: Db,
  municipalityCode: string,
  importId: string,
): Promise<ImportPreview | null> {
  const row = await findImport(db, municipalityCode, importId);
  if (!row) return null;
  const problems = row.problems as TargetLineProblem[];
  const counts =
    row.state === 'confirmed'
      ? {
          new: row.newCount ?? 0,
          updated: row.updatedCount ?? 0,
          unchanged: row.unchangedCount ?? 0,
        }
      : await countStagedAgainstTargets(db, municipalityCode, importId);
  return {
    importId,
    fileName: row.fileName,
    state: row.state,
    counts: { ...counts, rejected: problems.length },
    problems,
  };
}

export type ConfirmOutcome =
  | { outcome: 'confirmed'; counts: Counts; replayed: boolean }
  | { outcome: 'not_found' | 'discarded' }
  | { outcome: 'already_imported' };

/**
 * Applies the staged rows once: a second confirmation (a double click, a second tab) answers
 * with the first one's figures and changes nothing.
 */
export async function confirmTargetImport(
  db: Db,
  actor: Staff,
  input: { municipalityCode: string; importId: string },
  now = new Date(),
): Promise<ConfirmOutcome> {
  const { municipalityCode, importId } = input;
  try {
    return await db.transaction().execute(async (trx): Promise<ConfirmOutcome> => {
      const row = await lockImportForUpdate(trx, municipalityCode, importId);
      if (!row) return { outcome: 'not_found' };
      if (row.state === 'discarded') return { outcome: 'discarded' };
      if (row.state === 'confirmed')
        return {
          outcome: 'confirmed',
          replayed: true,
          counts: {
            new: row.newCount ?? 0,
            updated: row.updatedCount ?? 0,
            unchanged: row.unchangedCount ?? 0,
          },
        };
      const counts = await countStagedAgainstTargets(trx, municipalityCode, importId);
      await applyStagedRows(trx, municipalityCode, importId);
      await updateImportConfirmed(trx, input, { by: actor.actorId, at: now, counts });
      await recordAudit(trx, {
        ...actor,
        action: 'targets.import',
        targetType: 'target_import',
        targetId: importId,
        outcome: 'success',
        details: counts,
      });
      return { outcome: 'confirmed', counts, replayed: false };
    });
  } catch (error) {
    // The same file, staged twice and confirmed from both: the second commit meets the first.
    if (isUniqueViolation(error, 'target_import_confirmed_file_idx'))
      return { outcome: 'already_imported' };
    throw error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string; message?: string };
  return (
    e?.code === '23505' && (e.constraint_name === constraint || !!e.message?.includes(constraint))
  );
}
