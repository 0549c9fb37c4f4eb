import type { Db } from '../../db/connection.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { inTransaction } from '../platform/transaction.server.ts';
import {
  findQualificationsByResident,
  findResidentIdByRegisterCode,
  findResidentIdsByRegisterCode,
  upsertQualifications,
} from './insurance.repository.server.ts';
import { parseInsuranceCsv, type InsuranceCsvError } from './insurance.csv.ts';
import {
  qualificationState,
  sortQualifications,
  type Qualification,
  type QualificationState,
} from './insurance.ts';

export type QualificationRecord = Qualification & { state: QualificationState };

/**
 * A resident's insurance qualifications for `today` (the instant now, or a YYYY-MM-DD date
 * in Japan): the current one first, then any starting later, then the history.
 */
export async function listQualifications(
  db: Db,
  residentId: string,
  today: Date | string = new Date(),
): Promise<QualificationRecord[]> {
  const date = typeof today === 'string' ? today : tokyoDate(today);
  const rows = await findQualificationsByResident(db, residentId);
  return sortQualifications(rows.map((row) => ({ ...row, state: qualificationState(row, date) })));
}

/** Staff read one resident's records ('insurance.view', recorded with how many). */
export async function viewQualificationsOfResident(
  db: Db,
  actor: AuditActor,
  residentId: string,
  now = new Date(),
): Promise<QualificationRecord[]> {
  const records = await listQualifications(db, residentId, now);
  await recordAudit(db, {
    ...actor,
    onBehalfOfResidentId: residentId,
    action: 'insurance.view',
    targetType: 'resident',
    targetId: residentId,
    outcome: 'success',
    details: { records: records.length },
  });
  return records;
}

export type InsuranceImport =
  | {
      ok: true;
      encoding: 'utf-8' | 'shift_jis';
      rows: number;
      added: number;
      updated: number;
      unchanged: number;
    }
  | { ok: false; encoding: 'utf-8' | 'shift_jis'; errors: InsuranceCsvError[] };

/**
 * Imports an insurance CSV all or nothing: every bad row is reported with its line number
 * and then nothing is written. Good files are upserted in one transaction by (resident,
 * insurer number, qualified-from), so importing the same file twice changes nothing.
 */
export async function importInsuranceCsv(db: Db, bytes: Uint8Array): Promise<InsuranceImport> {
  const parsed = parseInsuranceCsv(bytes);
  const { encoding } = parsed;
  if (parsed.errors.length > 0) return { ok: false, encoding, errors: parsed.errors };
  return inTransaction(db, async (trx) => {
    const residents = await findResidentIdsByRegisterCode(trx, [
      ...new Set(parsed.rows.map((r) => r.registerCode)),
    ]);
    const errors: InsuranceCsvError[] = parsed.rows
      .filter((r) => !residents.has(r.registerCode))
      .map((r) => ({ line: r.line, problem: 'unknownResident', value: r.registerCode }));
    if (errors.length > 0) return { ok: false, encoding, errors };
    const { added, updated } = await upsertQualifications(
      trx,
      parsed.rows.map(({ line: _line, registerCode, ...row }) => ({
        ...row,
        residentId: residents.get(registerCode) ?? '',
      })),
    );
    return {
      ok: true,
      encoding,
      rows: parsed.rows.length,
      added,
      updated,
      unchanged: parsed.rows.length - added - updated,
    };
  });
}

/**
 * Staff import a file: its records and the audit entry ('insurance.import', with the counts)
 * commit together; a refused file (nothing written) is recorded as a failure.
 */
export async function importInsuranceFile(
  db: Db,
  actor: AuditActor,
  file: { name: string; bytes: Uint8Array },
): Promise<InsuranceImport> {
  const entry = {
    ...actor,
    action: 'insurance.import',
    targetType: 'file',
    targetId: file.name.slice(0, 200) || null,
  };
  const result = await db.transaction().execute(async (trx) => {
    const imported = await importInsuranceCsv(trx, file.bytes);
    if (imported.ok) {
      const { ok: _ok, ...summary } = imported;
      await recordAudit(trx, { ...entry, outcome: 'success', details: summary });
    }
    return imported;
  });
  if (!result.ok)
    await recordAudit(db, {
      ...entry,
      outcome: 'failure',
      details: {
        encoding: result.encoding,
        bytes: file.bytes.byteLength,
        errors: result.errors.length,
      },
    });
  return result;
}

/** The resident with this register code (typed by staff: full-width digits are fine), if any. */
export async function residentIdForRegisterCode(
  db: Db,
  input: string,
): Promise<{ ok: true; residentId: string | undefined } | { ok: false }> {
  const code = input.normalize('NFKC').replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(code)) return { ok: false };
  return { ok: true, residentId: await findResidentIdByRegisterCode(db, code) };
}
