import type { Db } from '../../db/connection.ts';
import { parseCsvText, readCsv, type CsvEncoding, type CsvRecord } from '../csv/csv-read.ts';
import { findResidentIdsByRegisterCodes } from './notice.repository.server.ts';
import {
  lineRanges,
  type AudienceFileError,
  type AudienceProblem,
  type AudienceReport,
  type AudienceRowError,
} from './notice.schema.ts';

/**
 * Audience lists uploaded by staff: a CSV of resident-register codes (住民票コード), one per
 * line or in a column named 住民票コード or register_code, in UTF-8 (with or without BOM) or
 * Shift_JIS as Excel and the CS terminals write it. A list is all or nothing: any bad row
 * refuses the whole file, and every bad row is reported with its line number.
 */

export const MAX_AUDIENCE_ROWS = 100_000;
/** Generous for 100,000 rows with a few extra columns (a name, an address). */
const MAX_AUDIENCE_BYTES = 16 * 1024 * 1024;
/** Rows listed one by one on the page; the rest are summarised as line ranges. */
const LISTED_ROW_ERRORS = 200;

const HEADER_NAMES = new Set(['住民票コード', 'register_code']);

type Encoding = CsvEncoding;

const clean = (value: string) => value.normalize('NFKC').replace(/\s+/g, '');

export type ParsedAudience =
  | { fileError: AudienceFileError; rows: []; rowErrors: [] }
  | { fileError: null; rows: { line: number; code: string }[]; rowErrors: AudienceRowError[] };

/**
 * Reads a list without touching the database: the codes in file order with their lines, and
 * the rows refused for their format or as duplicates. Blank lines are skipped.
 */
export function parseAudienceCsv(text: string): ParsedAudience {
  const parsed = parseCsvText(text);
  return parseAudienceRecords(parsed.records, parsed.unclosedQuoteLine);
}

function parseAudienceRecords(all: CsvRecord[], unclosedQuoteLine?: number): ParsedAudience {
  const records = all.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const first = records[0];
  if (!first) return { fileError: 'empty', rows: [], rowErrors: [] };
  const header = first.fields.map((f) => f.normalize('NFKC').trim().toLowerCase());
  const column = header.findIndex((name) => HEADER_NAMES.has(name));
  const filled = (r: CsvRecord) => r.fields.filter((f) => f.trim() !== '');
  // Several columns but none named: we cannot know which one holds the codes.
  if (column < 0 && filled(first).length > 1)
    return { fileError: 'noColumn', rows: [], rowErrors: [] };
  const data = column >= 0 ? records.slice(1) : records;
  if (data.length === 0) return { fileError: 'empty', rows: [], rowErrors: [] };
  if (data.length > MAX_AUDIENCE_ROWS) return { fileError: 'tooManyRows', rows: [], rowErrors: [] };

  const rows: { line: number; code: string }[] = [];
  const rowErrors: AudienceRowError[] = [];
  const seen = new Map<string, number>();
  for (const record of data) {
    const raw =
      column >= 0
        ? (record.fields[column] ?? '')
        : filled(record).length === 1
          ? (filled(record)[0] ?? '')
          : record.fields.join(',');
    const code = clean(raw);
    if (!/^[0-9]{11}$/.test(code)) {
      rowErrors.push({ line: record.line, value: raw.trim().slice(0, 40), problem: 'format' });
      continue;
    }
    const firstLine = seen.get(code);
    if (firstLine !== undefined) {
      rowErrors.push({ line: record.line, value: code, problem: 'duplicate', firstLine });
      continue;
    }
    seen.set(code, record.line);
    rows.push({ line: record.line, code });
  }
  // A quote opened and never closed: the lines after it cannot be read as rows.
  if (unclosedQuoteLine !== undefined)
    rowErrors.push({ line: unclosedQuoteLine, value: '"', problem: 'format' });
  return { fileError: null, rows, rowErrors };
}

export type AudienceCheck =
  | { ok: true; codes: string[]; residentIds: string[]; encoding: Encoding }
  | {
      ok: false;
      fileError: AudienceFileError | null;
      rowCount: number;
      rowErrors: AudienceRowError[];
    };

/**
 * Checks a list against the resident register: every code must be 11 digits, appear once
 * and name a resident. The codes are resolved in one query.
 */
async function checkAudienceText(
  db: Db,
  text: string,
  encoding: Encoding = 'utf-8',
): Promise<AudienceCheck> {
  return checkParsedAudience(db, parseAudienceCsv(text), encoding);
}

async function checkParsedAudience(
  db: Db,
  parsed: ParsedAudience,
  encoding: Encoding,
): Promise<AudienceCheck> {
  if (parsed.fileError)
    return { ok: false, fileError: parsed.fileError, rowCount: 0, rowErrors: [] };
  const ids = await findResidentIdsByRegisterCodes(
    db,
    parsed.rows.map((r) => r.code),
  );
  const rowErrors = [...parsed.rowErrors];
  for (const row of parsed.rows) {
    if (!ids.has(row.code)) rowErrors.push({ line: row.line, value: row.code, problem: 'unknown' });
  }
  const rowCount = parsed.rows.length + parsed.rowErrors.length;
  if (rowErrors.length > 0) {
    rowErrors.sort((a, b) => a.line - b.line);
    return { ok: false, fileError: null, rowCount, rowErrors };
  }
  return {
    ok: true,
    codes: parsed.rows.map((r) => r.code),
    residentIds: parsed.rows.map((r) => ids.get(r.code)!),
    encoding,
  };
}

/** The same check on an uploaded file's bytes, after working out their encoding. */
export async function checkAudienceFile(db: Db, bytes: Uint8Array): Promise<AudienceCheck> {
  if (bytes.byteLength > MAX_AUDIENCE_BYTES)
    return { ok: false, fileError: 'tooLarge', rowCount: 0, rowErrors: [] };
  const read = readCsv(bytes);
  // Bytes neither UTF-8 nor Shift_JIS can hold: never guessed at, the file is refused.
  if (read.errors.some((e) => e.reason === 'encoding'))
    return { ok: false, fileError: 'unreadable', rowCount: 0, rowErrors: [] };
  const unclosed = read.errors.find((e) => e.reason === 'unclosed_quote');
  return checkParsedAudience(db, parseAudienceRecords(read.records, unclosed?.line), read.encoding);
}

/**
 * The list a form refers to: a newly attached file wins, even an empty one (it holds no
 * residents: refused, never a notice to nobody); otherwise the codes the page carried
 * forward from an earlier check (checked again: the register may have changed meanwhile).
 * A browser sends a file input with nothing chosen as a part with no name and no bytes.
 */
export async function checkAudienceUpload(
  db: Db,
  file: File | undefined,
  carriedCodes: string | undefined,
): Promise<AudienceCheck | null> {
  if (file && (file.size > 0 || file.name !== ''))
    return checkAudienceFile(db, new Uint8Array(await file.arrayBuffer()));
  if (carriedCodes) return checkAudienceText(db, carriedCodes);
  return null;
}

/** A refused list as the page shows it: the first rows in full, the rest as line ranges. */
export function audienceReport(
  check: Extract<AudienceCheck, { ok: false }>,
  listed = LISTED_ROW_ERRORS,
): AudienceReport {
  const rest = check.rowErrors.slice(listed);
  const problems: AudienceProblem[] = ['format', 'unknown', 'duplicate'];
  return {
    fileError: check.fileError,
    rowCount: check.rowCount,
    errorCount: check.rowErrors.length,
    listed: check.rowErrors.slice(0, listed),
    more: problems
      .map((problem) => {
        const lines = rest.filter((e) => e.problem === problem).map((e) => e.line);
        return { problem, count: lines.length, lines: lineRanges(lines) };
      })
      .filter((m) => m.count > 0),
  };
}
