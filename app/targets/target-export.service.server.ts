/**
 * Exporting a city's card-pickup targets as CSV (decision 0047). The rows are read in pages
 * (keyset on application ID) and leave as they are read, so 100,000 targets never sit in
 * memory whole. A CP932 export is checked first: a character CP932 cannot hold (𠮷) refuses
 * the export with the number of rows and the characters, never a silently replaced one.
 * Every export is recorded once, with its filter, encoding and row count.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { csvLine } from '../csv/csv-write.ts';
import { encodeCp932, type CsvOutputEncoding } from '../csv/csv-stream.server.ts';
import { targetExportLine } from './target-export-csv.ts';
import {
  countExportTargets,
  exportTargetPage,
  listExportImports,
  type TargetExportFilter,
} from './target-export.repository.server.ts';
import { findImport } from './target-import.repository.server.ts';

export type { TargetExportFilter } from './target-export.repository.server.ts';

/** Targets per query: one page of lines in memory at a time. */
export const EXPORT_BATCH = 1_000;
/** Characters named on the page when CP932 cannot hold them. */
const MAX_NAMED = 10;
/** Imports offered on the page, newest first. */
const MAX_IMPORTS = 100;

/** What the export page offers: the city's newest confirmed imports (none: no targets yet). */
export async function targetExportChoices(db: Db, municipalityCode: string) {
  return { imports: await listExportImports(db, municipalityCode, MAX_IMPORTS) };
}

/** An import the filter names must be the filter's city's: another city's is not found. */
async function importOfCity(db: Db, filter: TargetExportFilter): Promise<boolean> {
  return (
    !filter.importId ||
    (await findImport(db, filter.municipalityCode, filter.importId)) !== undefined
  );
}

type Options = { batch?: number };

export type Unmappable = { rows: number; characters: string[] };

export type TargetExportCheck =
  { outcome: 'checked'; rows: number; unmappable: Unmappable | null } | { outcome: 'not_found' };

/** Each page of the export as CSV cells. */
async function* exportLines(db: Db, filter: TargetExportFilter, batch: number) {
  let after: string | null = null;
  for (;;) {
    const page = await exportTargetPage(db, filter, after, batch);
    if (page.length > 0) yield page.map(targetExportLine);
    if (page.length < batch) return;
    after = page.at(-1)!.applicationId;
  }
}

/**
 * How many rows an export with these choices carries and, for CP932, how many of them hold a
 * character CP932 cannot (with the first few such characters). Reads no more than a page at
 * a time; shows no one's data.
 */
export async function checkTargetExport(
  db: Db,
  filter: TargetExportFilter,
  encoding: CsvOutputEncoding,
  { batch = EXPORT_BATCH }: Options = {},
): Promise<TargetExportCheck> {
  if (!(await importOfCity(db, filter))) return { outcome: 'not_found' };
  if (encoding === 'utf-8')
    return { outcome: 'checked', rows: await countExportTargets(db, filter), unmappable: null };
  let rows = 0;
  let bad = 0;
  const characters: string[] = [];
  for await (const lines of exportLines(db, filter, batch)) {
    rows += lines.length;
    // Most pages fit whole; only a page that does not is looked at line by line.
    if (encodeCp932(lines.map(csvLine).join('')).ok) continue;
    for (const line of lines) {
      const result = encodeCp932(csvLine(line));
      if (result.ok) continue;
      bad += 1;
      for (const c of result.unrepresentable)
        if (characters.length < MAX_NAMED && !characters.includes(c)) characters.push(c);
    }
  }
  return { outcome: 'checked', rows, unmappable: bad > 0 ? { rows: bad, characters } : null };
}

export type TargetExportOutcome =
  | { outcome: 'not_found' }
  | { outcome: 'refused'; rows: number; unmappable: Unmappable }
  | { outcome: 'ready'; rows: number; lines: AsyncGenerator<string[][]> };

/**
 * The export's lines, page by page, after its audit entry ('targets.export': filter, encoding,
 * rows). A CP932 export that cannot hold every row is refused and exports nothing.
 */
export async function exportTargets(
  db: Db,
  actor: AuditActor,
  filter: TargetExportFilter,
  encoding: CsvOutputEncoding,
  options: Options = {},
): Promise<TargetExportOutcome> {
  const batch = options.batch ?? EXPORT_BATCH;
  const check = await checkTargetExport(db, filter, encoding, { batch });
  if (check.outcome === 'not_found') return check;
  if (check.unmappable)
    return { outcome: 'refused', rows: check.rows, unmappable: check.unmappable };
  await recordAudit(db, {
    ...actor,
    action: 'targets.export',
    targetType: 'municipality',
    targetId: filter.municipalityCode,
    outcome: 'success',
    details: {
      state: filter.state ?? null,
      importId: filter.importId ?? null,
      encoding,
      rows: check.rows,
    },
  });
  return { outcome: 'ready', rows: check.rows, lines: exportLines(db, filter, batch) };
}
