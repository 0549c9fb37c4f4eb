/**
 * Importing the renewal list as the pickup list is imported (decision 0042): upload → the
 * file is read, checked line by line and staged → the preview (new, updated, unchanged,
 * rejected with every line's reason) → the confirmation applies every good line in one
 * transaction. Nothing is half-imported; the same file twice changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { readCsv } from '../csv/csv-read.ts';
import {
  parseRenewalCsv,
  type RenewalFileProblem,
  type RenewalLineProblem,
} from './renewal-csv.ts';
import {
  applyStagedRenewals,
  countStagedRenewals,
  findConfirmedRenewalImportOfFile,
  findRenewalImport,
  insertRenewalImport,
  markRenewalImportConfirmed,
  type RenewalCounts,
} from './renewal-import.repository.server.ts';

/** A renewal list is far smaller than the card list; 10 MB holds 100,000 lines. */
export const MAX_RENEWAL_FILE_BYTES = 10 * 1024 * 1024;

type Staff = AuditActor & { actorId: string };

export type RenewalStageOutcome =
  | { outcome: 'staged'; importId: string }
  | { outcome: 'already_imported'; importId: string }
  | { outcome: 'refused'; problem: RenewalFileProblem | { reason: 'too_large' | 'binary' } };

export async function stageRenewalImport(
  db: Db,
  actor: Staff,
  input: { municipalityCode: string; fileName: string; bytes: Uint8Array },
): Promise<RenewalStageOutcome> {
  const { municipalityCode, fileName, bytes } = input;
  if (bytes.byteLength > MAX_RENEWAL_FILE_BYTES)
    return { outcome: 'refused', problem: { reason: 'too_large' } };
  if (bytes.includes(0)) return { outcome: 'refused', problem: { reason: 'binary' } };
  const sha = createHash('sha256').update(bytes).digest();
  const earlier = await findConfirmedRenewalImportOfFile(db, municipalityCode, sha);
  if (earlier) return { outcome: 'already_imported', importId: earlier.id };

  const read = readCsv(bytes);
  const parsed = parseRenewalCsv(read);
  if (!parsed.ok) return { outcome: 'refused', problem: parsed.problem };
  return db.transaction().execute(async (trx) => {
    const { id: importId } = await insertRenewalImport(trx, {
      municipalityCode,
      fileName: fileName.slice(0, 255) || 'renewals.csv',
      fileSha256: sha,
      encoding: read.encoding,
      lineCount: parsed.rows.length + parsed.problems.length,
      problems: parsed.problems,
      rows: parsed.rows.map((r) => r.row),
      createdBy: actor.actorId,
    });
    await recordAudit(trx, {
      ...actor,
      action: 'renewals.import_stage',
      targetType: 'renewal_import',
      targetId: importId,
      outcome: 'success',
      details: { rows: parsed.rows.length, rejected: parsed.problems.length },
    });
    return { outcome: 'staged' as const, importId };
  });
}

export type RenewalImportPreview = {
  importId: string;
  fileName: string;
  state: 'staged' | 'confirmed';
  counts: RenewalCounts & { rejected: number };
  problems: RenewalLineProblem[];
};

/** A clerk opens a renewal import's page (its refused lines hold personal data): audited. */
export async function viewRenewalImport(
  db: Db,
  actor: AuditActor,
  key: { municipalityCode: string; importId: string },
): Promise<RenewalImportPreview | null> {
  const preview = await previewRenewalImport(db, key);
  if (preview)
    await recordAudit(db, {
      ...actor,
      action: 'renewals.import_view',
      targetType: 'renewal_import',
      targetId: key.importId,
      outcome: 'success',
    });
  return preview;
}

export async function previewRenewalImport(
  db: Db,
  key: { municipalityCode: string; importId: string },
): Promise<RenewalImportPreview | null> {
  const row = await findRenewalImport(db, key);
  if (!row) return null;
  const problems = row.problems as RenewalLineProblem[];
  const counts = row.state === 'confirmed' ? countsOf(row) : await countStagedRenewals(db, key);
  return {
    importId: key.importId,
    fileName: row.fileName,
    state: row.state,
    counts: { ...counts, rejected: problems.length },
    problems,
  };
}

const countsOf = (row: {
  newCount: number | null;
  updatedCount: number | null;
  unchangedCount: number | null;
}): RenewalCounts => ({
  new: row.newCount ?? 0,
  updated: row.updatedCount ?? 0,
  unchanged: row.unchangedCount ?? 0,
});

export type RenewalConfirmOutcome =
  | { outcome: 'confirmed'; counts: RenewalCounts; replayed: boolean }
  | { outcome: 'not_found' | 'already_imported' };

/** Applies the staged lines once; a second confirmation answers with the first's figures. */
export async function confirmRenewalImport(
  db: Db,
  actor: Staff,
  key: { municipalityCode: string; importId: string },
  now = new Date(),
): Promise<RenewalConfirmOutcome> {
  try {
    return await db.transaction().execute(async (trx): Promise<RenewalConfirmOutcome> => {
      const row = await findRenewalImport(trx, key, true);
      if (!row) return { outcome: 'not_found' };
      if (row.state === 'confirmed')
        return { outcome: 'confirmed', replayed: true, counts: countsOf(row) };
      const counts = await countStagedRenewals(trx, key);
      await applyStagedRenewals(trx, key, actor.actorId);
      await markRenewalImportConfirmed(trx, key, { by: actor.actorId, at: now, counts });
      await recordAudit(trx, {
        ...actor,
        action: 'renewals.import',
        targetType: 'renewal_import',
        targetId: key.importId,
        outcome: 'success',
        details: counts,
      });
      return { outcome: 'confirmed', counts, replayed: false };
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e?.code === '23505' && e.message?.includes('renewal_import_confirmed_file_idx'))
      return { outcome: 'already_imported' };
    throw error;
  }
}
