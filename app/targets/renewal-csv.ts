/**
 * The e-certificate renewal list (電子証明書更新対象者一覧), row by row: the columns by their
 * header in any order, the resident-register code checked with its check digit, dates in
 * either calendar, names and addresses kept exactly as written (異体字 survive). Pure: the file
 * is read by app/csv/csv-read.ts and the import service stages the rows. The columns the
 * export adds (state, reason, note, when closed) are accepted and ignored, so an export
 * re-imports as it is.
 */
import { normalizeCell, type CsvRead } from '../csv/csv-read.ts';
import { parseDateText } from '../i18n/typed-dates.ts';
import { compactRegisterCode, isRegisterCode } from './register-code.ts';

/** The columns, by header. 氏名カナ and 有効期限 may be absent from a file. */
export const RENEWAL_CSV_COLUMNS = {
  residentRegisterCode: '住民票コード',
  name: '氏名',
  nameKana: '氏名カナ',
  birthDate: '生年月日',
  address: '住所',
  noticeNumber: '通知番号',
  certificateExpiresOn: '有効期限',
} as const;
const OPTIONAL: readonly string[] = ['氏名カナ', '有効期限'];

/** What the export writes after the list's own columns; an import reads past them. */
export const RENEWAL_EXPORT_COLUMNS = {
  state: '状態',
  clearReason: '消除事由',
  clearNote: '備考',
  closedAt: '更新・消除日時',
} as const;

type Column = keyof typeof RENEWAL_CSV_COLUMNS;

export type RenewalRow = {
  residentRegisterCode: string;
  name: string;
  nameKana: string | null;
  birthDate: string;
  address: string;
  noticeNumber: string;
  certificateExpiresOn: string | null;
};

export type RenewalLineProblem =
  | { line: number; reason: 'encoding' | 'unclosed_quote' | 'field_count' }
  | { line: number; reason: 'required' | 'formula' | 'too_long'; column: Column }
  | { line: number; reason: 'date'; column: Column; detail: 'year' | 'date' | 'era' }
  | { line: number; reason: 'register_code' | 'notice_number' }
  | { line: number; reason: 'duplicate'; firstLine: number };

export type RenewalFileProblem =
  | { reason: 'empty' }
  | { reason: 'header'; missing: string[]; unknown: string[]; repeated: string[] };

export type RenewalCsv =
  | { ok: false; problem: RenewalFileProblem }
  | { ok: true; rows: { line: number; row: RenewalRow }[]; problems: RenewalLineProblem[] };

const MAX_TEXT = 200;
const FORMULA = /^[=+\-@\t\r]/;
const NOTICE_NUMBER = /^[0-9A-Za-z-]{1,40}$/;
const trimText = (value: string) => value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
const compact = (value: string) => normalizeCell(value).replace(/[\s\u3000]/g, '');

/** Where each column is in the file, or why the header is refused. */
function columnsOf(
  header: readonly string[],
): { ok: true; at: Partial<Record<Column, number>> } | { ok: false; problem: RenewalFileProblem } {
  const names = header.map((f) => trimText(f.replace(/^\uFEFF/, '')));
  const known = Object.values(RENEWAL_CSV_COLUMNS) as string[];
  const ignored = Object.values(RENEWAL_EXPORT_COLUMNS) as string[];
  const missing = known.filter((n) => !OPTIONAL.includes(n) && !names.includes(n));
  const unknown = names.filter((n) => !known.includes(n) && !ignored.includes(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length + unknown.length + repeated.length > 0)
    return { ok: false, problem: { reason: 'header', missing, unknown, repeated } };
  const at: Partial<Record<Column, number>> = {};
  for (const [key, name] of Object.entries(RENEWAL_CSV_COLUMNS) as [Column, string][])
    if (names.includes(name)) at[key] = names.indexOf(name);
  return { ok: true, at };
}

export function parseRenewalCsv(read: CsvRead): RenewalCsv {
  const [header, ...records] = read.records;
  if (!header) return { ok: false, problem: { reason: 'empty' } };
  const columns = columnsOf(header.fields);
  if (!columns.ok) return columns;
  const { at } = columns;

  const problems: RenewalLineProblem[] = read.errors.map((e) => ({ ...e }));
  const rows: { line: number; row: RenewalRow }[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.every((f) => trimText(f) === '')) continue;
    if (fields.length !== header.fields.length) {
      problems.push({ line, reason: 'field_count' });
      continue;
    }
    const cell = (column: Column) => {
      const i = at[column];
      return i === undefined ? '' : (fields[i] ?? '');
    };
    const parsed = parseRenewalLine(line, cell);
    if ('reason' in parsed) {
      problems.push(parsed);
      continue;
    }
    const first = firstLineOf.get(parsed.residentRegisterCode);
    if (first !== undefined) {
      problems.push({ line, reason: 'duplicate', firstLine: first });
      continue;
    }
    firstLineOf.set(parsed.residentRegisterCode, line);
    rows.push({ line, row: parsed });
  }
  problems.sort((a, b) => a.line - b.line);
  return { ok: true, rows, problems };
}

/** One line's values, checked; exported for the form that adds a person by hand. */
export function parseRenewalLine(
  line: number,
  cell: (column: Column) => string,
): RenewalRow | RenewalLineProblem {
  for (const column of ['name', 'nameKana', 'address'] as const) {
    const value = trimText(cell(column));
    if (FORMULA.test(value)) return { line, reason: 'formula', column };
    if (value.length > MAX_TEXT) return { line, reason: 'too_long', column };
  }
  const required = ['residentRegisterCode', 'name', 'birthDate', 'address', 'noticeNumber'];
  for (const column of required as Column[])
    if (trimText(cell(column)) === '') return { line, reason: 'required', column };

  const residentRegisterCode = compactRegisterCode(cell('residentRegisterCode'));
  if (!isRegisterCode(residentRegisterCode)) return { line, reason: 'register_code' };
  const noticeNumber = compact(cell('noticeNumber'));
  if (!NOTICE_NUMBER.test(noticeNumber)) return { line, reason: 'notice_number' };

  const birth = parseDateText(cell('birthDate'));
  if (!birth.ok) return { line, reason: 'date', column: 'birthDate', detail: birth.reason };
  let certificateExpiresOn: string | null = null;
  if (trimText(cell('certificateExpiresOn')) !== '') {
    const expiry = parseDateText(cell('certificateExpiresOn'));
    if (!expiry.ok)
      return { line, reason: 'date', column: 'certificateExpiresOn', detail: expiry.reason };
    certificateExpiresOn = expiry.date;
  }
  const nameKana = trimText(cell('nameKana'));
  return {
    residentRegisterCode,
    name: trimText(cell('name')),
    nameKana: nameKana === '' ? null : nameKana,
    birthDate: birth.date,
    address: trimText(cell('address')),
    noticeNumber,
    certificateExpiresOn,
  };
}

/** The export's header: the list's columns (so it re-imports), then the state and history. */
export const RENEWAL_EXPORT_HEADER: readonly string[] = [
  ...Object.values(RENEWAL_CSV_COLUMNS),
  ...Object.values(RENEWAL_EXPORT_COLUMNS),
];

type ExportedRenewal = RenewalRow & {
  state: string;
  clearReason: string | null;
  clearNote: string | null;
  closedAt: string | null;
};

/** One target as an export line, in RENEWAL_EXPORT_HEADER's order; `word` names states and reasons. */
export function renewalCsvRow(row: ExportedRenewal, word: (key: string) => string): string[] {
  return [
    row.residentRegisterCode,
    row.name,
    row.nameKana ?? '',
    row.birthDate,
    row.address,
    row.noticeNumber,
    row.certificateExpiresOn ?? '',
    word(`state.${row.state}`),
    row.clearReason ? word(`reason.${row.clearReason}`) : '',
    row.clearNote ?? '',
    row.closedAt ?? '',
  ];
}
