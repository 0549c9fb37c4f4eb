/**
 * Importing the CS terminal's card-issuance list in two steps (decisions 0042, 0043): an upload
 * is stored and a job reads it line by line into staging (target-import-staging.service.server.ts);
 * the clerk sees the preview (new, updated, unchanged,
 * rejected with every line's reason); the confirmation applies every good line in one
 * transaction, so nothing is ever half-imported. Each step is recorded in its transaction.
 */
import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { enqueue } from '../../jobs/enqueue.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { detectCsvEncoding, readCsvChunks, type CsvEncoding } from '../csv/csv-read.ts';
import { targetHeader, type TargetFileProblem, type TargetLineProblem } from './target-csv.ts';
import {
  applyStagedRows,
  countStagedAgainstTargets,
  discardStaged,
  findChangedRows,
  findConfirmedImportOfFile,
  findImport,
  findProblems,
  insertUploadedImport,
  listRecentImports,
  lockImportForUpdate,
  updateImportConfirmed,
  type TargetFields,
} from './target-import.repository.server.ts';
import { targetImportQueue } from './targets.queues.ts';

/** The largest list accepted (a city's list of 100,000 lines is about 9 MB in CP932). */
export const MAX_TARGET_FILE_BYTES = 50 * 1024 * 1024;
/** Refused lines per page of the preview; changed targets shown field by field. */
export const PROBLEMS_PER_PAGE = 100;
export const CHANGES_SHOWN = 50;

type Staff = AuditActor & { actorId: string };
type Counts = { new: number; updated: number; unchanged: number };
type Key = { municipalityCode: string; importId: string };

/** Why a file was refused whole, before anything was stored. */
export type UploadProblem = TargetFileProblem | { reason: 'too_large' | 'binary' | 'encoding' };

export type UploadOutcome =
  | { outcome: 'queued'; importId: string }
  | { outcome: 'already_imported'; importId: string; confirmedAt: Date | null }
  | { outcome: 'refused'; problem: UploadProblem };

/**
 * The upload's part of an import: what can refuse the whole file is checked here (size, a
 * binary file, an encoding neither UTF-8 nor CP932 reads, the header), so the clerk is told at
 * once and nothing is stored. A good file is stored on its import row with the job that will
 * stage it, both in one transaction with the audit entry; the job does the long part.
 */
export async function uploadTargetImport(
  db: Db,
  boss: PgBoss,
  actor: Staff,
  input: { municipalityCode: string; fileName: string; bytes: Uint8Array },
): Promise<UploadOutcome> {
  const { municipalityCode, bytes } = input;
  if (bytes.byteLength > MAX_TARGET_FILE_BYTES)
    return { outcome: 'refused', problem: { reason: 'too_large' } };
  // A NUL byte never occurs in a text file in either encoding: this is not a list.
  if (bytes.includes(0)) return { outcome: 'refused', problem: { reason: 'binary' } };
  const sha256 = createHash('sha256').update(bytes).digest();
  const earlier = await findConfirmedImportOfFile(db, municipalityCode, sha256);
  if (earlier)
    return { outcome: 'already_imported', importId: earlier.id, confirmedAt: earlier.confirmedAt };

  const detected = detectCsvEncoding(bytes);
  // Most lines unreadable in both encodings: another encoding (EUC-JP, UTF-16…), not bad lines.
  if (detected.badLines.length * 2 > detected.lines)
    return { outcome: 'refused', problem: { reason: 'encoding' } };
  const header = readHeader(bytes, detected.encoding);
  if (!header.ok) return { outcome: 'refused', problem: header.problem };

  const fileName = Array.from(input.fileName.trim() || 'list.csv')
    .slice(0, 200)
    .join('');
  return db.transaction().execute(async (trx) => {
    const { id: importId } = await insertUploadedImport(trx, {
      municipalityCode,
      fileName,
      fileSha256: sha256,
      fileBytes: bytes,
      encoding: detected.encoding,
      linesTotal: Math.max(0, detected.lines - 1),
      createdBy: actor.actorId,
    });
    await recordAudit(trx, {
      ...actor,
      action: 'targets.import_upload',
      targetType: 'target_import',
      targetId: importId,
      outcome: 'success',
      details: { bytes: bytes.byteLength, encoding: detected.encoding },
    });
    await enqueue(boss, trx, targetImportQueue, { municipalityCode, importId });
    return { outcome: 'queued' as const, importId };
  });
}

/** The header line, decoded and checked; a header the encoding cannot read refuses the file. */
function readHeader(
  bytes: Uint8Array,
  encoding: CsvEncoding,
): { ok: true } | { ok: false; problem: UploadProblem } {
  for (const chunk of readCsvChunks(bytes, encoding, { chunkLines: 20 })) {
    const first = chunk.records[0];
    const firstError = chunk.errors[0];
    if (firstError && (!first || firstError.line < first.line))
      return { ok: false, problem: { reason: 'encoding' } };
    if (first) {
      const header = targetHeader(first.fields);
      return header.ok ? { ok: true } : header;
    }
  }
  return { ok: false, problem: { reason: 'empty' } };
}

export type ChangedTarget = {
  line: number;
  applicationId: string;
  fields: { field: keyof TargetFields; before: string | null; after: string | null }[];
};

export type ImportView = {
  importId: string;
  fileName: string;
  state: 'staging' | 'staged' | 'failed' | 'confirmed' | 'discarded';
  createdAt: Date;
  confirmedAt: Date | null;
  /** Lines after the header read by the job, of all of them. */
  progress: { linesRead: number; linesTotal: number };
  failure: string | null;
  /** Known once staged: what confirming would do (or, once confirmed, what it did). */
  counts: (Counts & { rejected: number }) | null;
  /** One page of the refused lines, in line order. */
  problems: TargetLineProblem[];
  problemPages: number;
  /** The first CHANGES_SHOWN targets the file would change, field by field. */
  changes: ChangedTarget[];
};

/**
 * A clerk opens an import's page: once it shows lines of the file (staged or confirmed: the
 * refused lines and the changed fields hold names and addresses), the view is audited with
 * the page of refused lines it shows. While the file is read, the page (which refreshes every
 * two seconds) holds no personal data and nothing is recorded.
 */
export async function viewTargetImport(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  importId: string,
  options: { page?: number } = {},
): Promise<ImportView | null> {
  const view = await previewTargetImport(db, municipalityCode, importId, options);
  if (view && (view.state === 'staged' || view.state === 'confirmed'))
    await recordAudit(db, {
      ...actor,
      action: 'targets.import_view',
      targetType: 'target_import',
      targetId: importId,
      outcome: 'success',
      details: { page: options.page ?? 1 },
    });
  return view;
}

/** An import as its page shows it: progress while staging, then the preview. */
export async function previewTargetImport(
  db: Db,
  municipalityCode: string,
  importId: string,
  { page = 1 }: { page?: number } = {},
): Promise<ImportView | null> {
  const row = await findImport(db, municipalityCode, importId);
  if (!row) return null;
  const key = { municipalityCode, importId };
  const known = row.state === 'staged' || row.state === 'confirmed';
  const rejected = row.rejectedCount ?? 0;
  const counts = !known
    ? null
    : row.state === 'confirmed'
      ? {
          new: row.newCount ?? 0,
          updated: row.updatedCount ?? 0,
          unchanged: row.unchangedCount ?? 0,
          rejected,
        }
      : { ...(await countStagedAgainstTargets(db, municipalityCode, importId)), rejected };
  const problemPages = Math.max(1, Math.ceil(rejected / PROBLEMS_PER_PAGE));
  const current = Math.min(Math.max(1, Math.floor(page)), problemPages);
  return {
    importId,
    fileName: row.fileName,
    state: row.state,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    progress: { linesRead: row.linesRead, linesTotal: row.linesTotal },
    failure: row.failure,
    counts,
    problems: known
      ? ((await findProblems(db, key, {
          offset: (current - 1) * PROBLEMS_PER_PAGE,
          limit: PROBLEMS_PER_PAGE,
        })) as TargetLineProblem[])
      : [],
    problemPages,
    changes:
      row.state === 'staged' ? changedFields(await findChangedRows(db, key, CHANGES_SHOWN)) : [],
  };
}

const changedFields = (rows: Awaited<ReturnType<typeof findChangedRows>>): ChangedTarget[] =>
  rows.map(({ line, applicationId, before, after }) => ({
    line,
    applicationId,
    fields: (Object.keys(after) as (keyof TargetFields)[])
      .filter((field) => before[field] !== after[field])
      .map((field) => ({ field, before: before[field], after: after[field] })),
  }));

/** The city's latest imports for the upload page. */
export function recentTargetImports(db: Db, municipalityCode: string) {
  return listRecentImports(db, municipalityCode, 20);
}

export type DiscardOutcome = { outcome: 'discarded' | 'not_found' | 'not_staged' };

/** A staged import the clerk does not want: its staged rows go, nothing is applied. */
export async function discardTargetImport(db: Db, actor: Staff, key: Key): Promise<DiscardOutcome> {
  return db.transaction().execute(async (trx): Promise<DiscardOutcome> => {
    const row = await lockImportForUpdate(trx, key.municipalityCode, key.importId);
    if (!row) return { outcome: 'not_found' };
    if (row.state === 'discarded') return { outcome: 'discarded' };
    if (row.state !== 'staged') return { outcome: 'not_staged' };
    await discardStaged(trx, key);
    await recordAudit(trx, {
      ...actor,
      action: 'targets.import_discard',
      targetType: 'target_import',
      targetId: key.importId,
      outcome: 'success',
    });
    return { outcome: 'discarded' };
  });
}

export type ConfirmOutcome =
  | { outcome: 'confirmed'; counts: Counts; replayed: boolean }
  | { outcome: 'not_found' | 'discarded' | 'not_staged' }
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
      if (row.state === 'staging' || row.state === 'failed') return { outcome: 'not_staged' };
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
