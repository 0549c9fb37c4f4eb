import { userText } from '../ui/user-text.ts';

/**
 * Writing CSV for staff to open in Excel: CRLF line ends, RFC 4180 quoting, bidirectional
 * controls shown as codes (⟨U+202E⟩, as on the pages), and cells that a spreadsheet would run
 * as a formula (CSV injection: = + - @, tab, CR) prefixed with an apostrophe so they show as
 * text. Browser-safe (no server imports): pages that build a CSV from data on screen use it too.
 */

/** The byte order mark that makes Excel read a CSV file as UTF-8 rather than Shift_JIS. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(raw: string): string {
  const text = userText(raw);
  const value = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** A whole small file as text: the BOM, then one line per row. */
export function csvText(rows: Iterable<readonly string[]>): string {
  let text = UTF8_BOM;
  for (const row of rows) text += csvLine(row);
  return text;
}
