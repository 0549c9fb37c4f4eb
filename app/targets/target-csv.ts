/**
 * The card-issuance list exported from the CS terminal (統合端末), row by row: what each column
 * must hold, what is normalised (full-width digits and spaces in numbers, dates and postal
 * codes) and what is kept exactly as written (names and addresses: 異体字 such as 髙, 﨑, 𠮷).
 * Pure: the file is read by app/csv/csv-read.ts, and the import service stages the rows.
 */
import { normalizeCell, type CsvRead, type CsvRecord } from '../csv/csv-read.ts';
import { parseDateText } from '../i18n/typed-dates.ts';

/** The columns, by their header in the CS export; any order, each exactly once. */
export const TARGET_CSV_COLUMNS = {
  applicationId: '申請書ID',
  manufactureNo: '製造管理番号',
  name: '氏名',
  nameKana: '氏名カナ',
  birthDate: '生年月日',
  sex: '性別',
  postalCode: '郵便番号',
  address: '住所',
} as const;

type Column = keyof typeof TARGET_CSV_COLUMNS;

/**
 * The columns this application's own export adds after the list's (state, lifecycle times,
 * reservation ID, hand-over; decision 0047). An import skips exactly these, so an exported file
 * goes back in unchanged; any other unknown header still refuses the file.
 */
export const TARGET_EXPORT_COLUMNS = {
  state: '状態',
  importedAt: '取込日時',
  setupDoneAt: '交付前設定日時',
  letterPrintedAt: '通知書印刷日時',
  bookedAt: '予約日時',
  stateIssuedAt: '交付済み日時',
  cancelledAt: '取消日時',
  reissuedAt: '再交付日時',
  stateChangedAt: '状態変更日時',
  updatedAt: '更新日時',
  credentialsIssuedAt: '予約情報発行日時',
  reservationId: '予約番号',
  credentialsVersion: '予約情報版',
  issuedAt: '交付日時',
  issuedById: '交付職員ID',
  issuedByName: '交付職員',
  handoverManufactureNo: '交付カード製造管理番号',
  identityDocuments: '本人確認書類',
  faceCheck: '顔照合',
  userCertificate: '利用者証明用電子証明書',
  signingCertificate: '署名用電子証明書',
  pinSetup: '暗証番号設定',
} as const;

/** How the export writes each sex: words the import reads back as the same value. */
export const SEX_TEXT: Record<TargetRow['sex'], string> = {
  male: '男',
  female: '女',
  other: 'その他',
  unknown: '不明',
};

export type TargetRow = {
  applicationId: string;
  manufactureNo: string;
  name: string;
  nameKana: string | null;
  birthDate: string;
  sex: 'male' | 'female' | 'other' | 'unknown';
  postalCode: string | null;
  address: string;
};

/** Why a line was refused; the page says it in words, with the line number. */
export type TargetLineProblem =
  | { line: number; reason: 'encoding' | 'unclosed_quote' | 'field_count' }
  | { line: number; reason: 'required' | 'formula' | 'too_long'; column: Column }
  | { line: number; reason: 'date'; detail: 'year' | 'date' | 'era' }
  | { line: number; reason: 'sex' | 'postal_code' | 'identifier'; column?: Column }
  | { line: number; reason: 'duplicate'; firstLine: number };

/** Why the whole file was refused before any line was read. */
export type TargetFileProblem =
  | { reason: 'empty' }
  | { reason: 'header'; missing: string[]; unknown: string[]; repeated: string[] };

export type TargetCsv =
  | { ok: false; problem: TargetFileProblem }
  | { ok: true; rows: { line: number; row: TargetRow }[]; problems: TargetLineProblem[] };

const MAX_TEXT = 200;
const SEX: Record<string, TargetRow['sex']> = {
  男: 'male',
  男性: 'male',
  '1': 'male',
  女: 'female',
  女性: 'female',
  '2': 'female',
  その他: 'other',
  '9': 'unknown',
  不明: 'unknown',
};

/** Spreadsheet formulas start like this; no name or address does. */
const FORMULA = /^[=+\-@\t\r]/;
const IDENTIFIER = /^[0-9A-Za-z-]{1,40}$/;
/** Outer spaces go (the ideographic one too); the inside of a name stays as written. */
const trimText = (value: string) => value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
/**
 * Numbers, codes and dates: full-width to ASCII, spaces removed, and the apostrophe a CSV
 * writer puts before a cell starting with - (app/csv/csv-write.ts) dropped again.
 */
const compact = (value: string) =>
  normalizeCell(value)
    .replace(/[\s\u3000]/g, '')
    .replace(/^'(?=-)/, '');

/** Where each column sits in the file, from its header line. */
export type TargetHeader = { index: Record<Column, number>; width: number };

export function targetHeader(
  fields: readonly string[] | undefined,
): { ok: true; header: TargetHeader } | { ok: false; problem: TargetFileProblem } {
  if (!fields) return { ok: false, problem: { reason: 'empty' } };
  const names = fields.map((f) => trimText(f.replace(/^\uFEFF/, '')));
  const expected = Object.values(TARGET_CSV_COLUMNS) as string[];
  const skipped = Object.values(TARGET_EXPORT_COLUMNS) as string[];
  const missing = expected.filter((name) => !names.includes(name));
  const unknown = names.filter((name) => !expected.includes(name) && !skipped.includes(name));
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (missing.length + unknown.length + repeated.length > 0)
    return { ok: false, problem: { reason: 'header', missing, unknown, repeated } };
  const index = Object.fromEntries(
    (Object.entries(TARGET_CSV_COLUMNS) as [Column, string][]).map(([key, name]) => [
      key,
      names.indexOf(name),
    ]),
  ) as Record<Column, number>;
  return { ok: true, header: { index, width: names.length } };
}

/**
 * The lines after the header, a chunk at a time: `seen` (application ID → its first line)
 * carries over from chunk to chunk, so a duplicate is found anywhere in the file.
 */
export function parseTargetRecords(
  records: readonly CsvRecord[],
  { index, width }: TargetHeader,
  seen: Map<string, number>,
): { rows: { line: number; row: TargetRow }[]; problems: TargetLineProblem[] } {
  const problems: TargetLineProblem[] = [];
  const rows: { line: number; row: TargetRow }[] = [];
  for (const { line, fields } of records) {
    if (fields.every((f) => trimText(f) === '')) continue; // an empty line
    if (fields.length !== width) {
      problems.push({ line, reason: 'field_count' });
      continue;
    }
    const parsed = parseLine(line, (column) => fields[index[column]] ?? '');
    if ('reason' in parsed) {
      problems.push(parsed);
      continue;
    }
    const first = seen.get(parsed.applicationId);
    if (first !== undefined) {
      problems.push({ line, reason: 'duplicate', firstLine: first });
      continue;
    }
    seen.set(parsed.applicationId, line);
    rows.push({ line, row: parsed });
  }
  return { rows, problems };
}

export function parseTargetCsv(read: CsvRead): TargetCsv {
  const [first, ...records] = read.records;
  const header = targetHeader(first?.fields);
  if (!header.ok) return header;
  const { rows, problems } = parseTargetRecords(records, header.header, new Map());
  problems.push(...read.errors.map((e) => ({ ...e })));
  problems.sort((a, b) => a.line - b.line);
  return { ok: true, rows, problems };
}

function parseLine(line: number, cell: (column: Column) => string): TargetRow | TargetLineProblem {
  for (const column of ['name', 'nameKana', 'address'] as const) {
    const value = trimText(cell(column));
    if (FORMULA.test(value)) return { line, reason: 'formula', column };
    if (value.length > MAX_TEXT) return { line, reason: 'too_long', column };
  }
  for (const column of ['applicationId', 'manufactureNo', 'name', 'birthDate', 'address'] as const)
    if (trimText(cell(column)) === '') return { line, reason: 'required', column };

  const applicationId = compact(cell('applicationId'));
  const manufactureNo = compact(cell('manufactureNo'));
  if (!IDENTIFIER.test(applicationId))
    return { line, reason: 'identifier', column: 'applicationId' };
  if (!IDENTIFIER.test(manufactureNo))
    return { line, reason: 'identifier', column: 'manufactureNo' };

  const birth = parseDateText(cell('birthDate'));
  if (!birth.ok) return { line, reason: 'date', detail: birth.reason };

  const sex = SEX[compact(cell('sex'))];
  if (!sex) return { line, reason: 'sex' };

  const postal = compact(cell('postalCode'))
    .replace(/^〒/, '')
    .replace(/[-ー−‐]/g, '');
  if (postal !== '' && !/^[0-9]{7}$/.test(postal)) return { line, reason: 'postal_code' };

  const nameKana = trimText(cell('nameKana'));
  return {
    applicationId,
    manufactureNo,
    name: trimText(cell('name')),
    nameKana: nameKana === '' ? null : nameKana,
    birthDate: birth.date,
    sex,
    postalCode: postal === '' ? null : postal,
    address: trimText(cell('address')),
  };
}
