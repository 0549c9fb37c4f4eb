import type { CopaymentPercent } from './insurance.ts';
import { normalizeCell as clean, readCsv } from '../csv/csv-read.ts';
import { calendarDate } from '../i18n/dates.ts';

/**
 * The insurance-record file staff import: CSV with a header row, in UTF-8 (with or without
 * a BOM) or Shift_JIS as Excel and the 統合端末 save it. Every problem is reported with the
 * line number a person sees in a text editor, so a clerk can fix the file and try again.
 */
export const INSURANCE_CSV_COLUMNS = [
  '住民票コード',
  '保険者番号',
  '保険者名',
  '記号',
  '番号',
  '枝番',
  '資格取得日',
  '資格喪失日',
  '負担割合',
] as const;

const MAX_INSURANCE_ROWS = 50_000;

type InsuranceCsvRow = {
  line: number;
  registerCode: string;
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string | null;
  qualifiedFrom: string;
  qualifiedUntil: string | null;
  copaymentPercent: CopaymentPercent;
};

export const INSURANCE_CSV_PROBLEMS = [
  'empty',
  'header',
  'quote',
  'encoding',
  'columns',
  'tooManyRows',
  'registerCode',
  'insurerNumber',
  'insurerName',
  'symbol',
  'number',
  'branch',
  'qualifiedFrom',
  'qualifiedUntil',
  'untilBeforeFrom',
  'copayment',
  'duplicate',
  'unknownResident',
] as const;
type InsuranceCsvProblem = (typeof INSURANCE_CSV_PROBLEMS)[number];

export type InsuranceCsvError = {
  line: number;
  problem: InsuranceCsvProblem;
  /** The offending value as found in the file (cut to 50 characters). */
  value?: string;
  /** For a duplicate: the line it repeats. */
  otherLine?: number;
};

export type InsuranceCsvParse = {
  encoding: 'utf-8' | 'shift_jis';
  rows: InsuranceCsvRow[];
  errors: InsuranceCsvError[];
};

const cut = (value: string) => (value.length > 50 ? `${value.slice(0, 50)}…` : value);

/** A real calendar date as YYYY-MM-DD from 2026-04-01, 2026/4/1 or 20260401; else null. */
export function parseCsvDate(value: string): string | null {
  const m =
    /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  if (y < 1900 || y > 2200) return null;
  return calendarDate(y, Number(m[2]), Number(m[3]));
}

/** 1割/2割/3割, 10/20/30 or 10%/20%/30%. */
export function parseCopayment(value: string): CopaymentPercent | null {
  const m = /^([123])割$/.exec(value) ?? /^([123])0%?$/.exec(value);
  return m ? ((Number(m[1]) * 10) as CopaymentPercent) : null;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Parses and checks the whole file; rows are usable only when `errors` is empty. */
export function parseInsuranceCsv(bytes: Uint8Array): InsuranceCsvParse {
  const read = readCsv(bytes, { delimiter: ',' });
  const { encoding, records } = read;
  const unclosed = read.errors.find((e) => e.reason === 'unclosed_quote');
  if (unclosed) return { encoding, rows: [], errors: [{ line: unclosed.line, problem: 'quote' }] };
  // A line the encoding cannot hold is left out of the records and reported here.
  const errors: InsuranceCsvError[] = read.errors.map((e) => ({
    line: e.line,
    problem: 'encoding',
  }));
  const [header, ...body] = records;
  if (!header) return { encoding, rows: [], errors: [{ line: 1, problem: 'empty' }] };
  const names = header.fields.map(clean);
  if (
    names.length !== INSURANCE_CSV_COLUMNS.length ||
    INSURANCE_CSV_COLUMNS.some((name, i) => names[i] !== name)
  ) {
    return {
      encoding,
      rows: [],
      errors: [{ line: header.line, problem: 'header', value: cut(header.fields.join(',')) }],
    };
  }
  if (body.length === 0)
    return { encoding, rows: [], errors: [{ line: header.line + 1, problem: 'empty' }] };
  if (body.length > MAX_INSURANCE_ROWS) {
    return {
      encoding,
      rows: [],
      errors: [{ line: body[MAX_INSURANCE_ROWS]?.line ?? 1, problem: 'tooManyRows' }],
    };
  }

  const rows: InsuranceCsvRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== INSURANCE_CSV_COLUMNS.length) {
      errors.push({ line, problem: 'columns', value: String(fields.length) });
      continue;
    }
    const [registerCode, insurerNumber, insurerName, symbol, number, branch, from, until, ratio] =
      fields.map(clean) as [string, string, string, string, string, string, string, string, string];
    const problems: InsuranceCsvError[] = [];
    const bad = (problem: InsuranceCsvProblem, value: string) =>
      problems.push({ line, problem, value: cut(value) });
    if (!/^\d{11}$/.test(registerCode)) bad('registerCode', registerCode);
    if (!/^(\d{6}|\d{8})$/.test(insurerNumber)) bad('insurerNumber', insurerNumber);
    if (insurerName.length < 1 || insurerName.length > 200 || CONTROL.test(insurerName))
      bad('insurerName', insurerName);
    if (symbol.length > 40 || CONTROL.test(symbol)) bad('symbol', symbol);
    if (number.length < 1 || number.length > 40 || CONTROL.test(number)) bad('number', number);
    if (branch !== '' && !/^\d{2}$/.test(branch)) bad('branch', branch);
    const qualifiedFrom = parseCsvDate(from);
    if (!qualifiedFrom) bad('qualifiedFrom', from);
    const qualifiedUntil = until === '' ? null : parseCsvDate(until);
    if (until !== '' && !qualifiedUntil) bad('qualifiedUntil', until);
    if (qualifiedFrom && qualifiedUntil && qualifiedUntil < qualifiedFrom)
      bad('untilBeforeFrom', until);
    const copaymentPercent = parseCopayment(ratio);
    if (!copaymentPercent) bad('copayment', ratio);
    if (problems.length > 0 || !qualifiedFrom || !copaymentPercent) {
      errors.push(...problems);
      continue;
    }
    const key = `${registerCode}|${insurerNumber}|${qualifiedFrom}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line, problem: 'duplicate', otherLine: first });
      continue;
    }
    seen.set(key, line);
    rows.push({
      line,
      registerCode,
      insurerNumber,
      insurerName,
      symbol,
      number,
      branch: branch === '' ? null : branch,
      qualifiedFrom,
      qualifiedUntil,
      copaymentPercent,
    });
  }
  return { encoding, rows, errors: errors.sort((a, b) => a.line - b.line) };
}
