import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireStaffForDownload } from '../platform/staff-download.server.ts';
import { exportAudit } from '../audit/audit.service.server.ts';
import { auditCsvColumns, auditCsvRow, type AuditRecord } from '../audit/audit.ts';
import { csvStream } from '../csv/csv-stream.server.ts';
import { readAuditSearch } from '../audit/audit-table.tsx';
import { tokyoDate } from '../i18n/dates.ts';
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/locales.ts';

/** The most rows one export carries; narrow the filter for more. */
const MAX_ROWS = 100_000;

/**
 * The audit page's records as CSV (UTF-8 with BOM, for Excel), with the page's filters.
 * Rows stream out page by page (app/csv/csv-stream.server.ts), so a large export never sits in
 * memory whole.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  const staff = await requireStaffForDownload(request, context, 'audit:read', locale);
  const url = new URL(request.url);
  const read = readAuditSearch(url.searchParams);
  // The page explains what is wrong with the filters, field by field.
  if (!read.ok) throw redirect(`/${locale}/admin/audit${url.search}`);
  const { search } = read;

  const batches = await exportAudit(
    context.db,
    staff.actor,
    search.filter,
    { ...search.query },
    { max: MAX_ROWS },
  );

  const filename = `audit-${tokyoDate(new Date()).replaceAll('-', '')}.csv`;
  return new Response(csvStream(csvHeader(locale), rowsOf(batches)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}

/** The header in the page's language: staff open the file in Excel, where names are what they read. */
function csvHeader(locale: Locale): string[] {
  const t = translator(locale);
  return auditCsvColumns.map((name) => t(`adminAudit:csv.${name}`, { defaultValue: name }));
}

async function* rowsOf(batches: AsyncGenerator<AuditRecord[]>) {
  for await (const batch of batches) yield batch.map(auditCsvRow);
}
