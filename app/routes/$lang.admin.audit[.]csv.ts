import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css';
import stylesHref from '../ui/styles.css';
import { plainPage } from '../platform/plain-page.server.ts';
import { requireStaff, type StaffAccess } from '../identity/guards.server.ts';
import { listAudit, recordAudit } from '../audit/audit.service.server.ts';
import { auditCsv, type AuditRecord } from '../audit/audit.ts';
import { readAuditSearch, type AuditSearch } from '../audit/audit-table.tsx';
import { tokyoDate } from '../i18n/dates.ts';
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/locales.ts';

/** The most rows one export carries; narrow the filter for more. */
const MAX_ROWS = 100_000;
/** listAudit's largest page. */
const BATCH = 500;

/**
 * The audit page's records as CSV (UTF-8 with BOM, for Excel), with the page's filters.
 * Rows stream out page by page, so a large export never sits in memory whole.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  let staff: StaffAccess;
  try {
    staff = await requireStaff(request, context, 'audit:read');
  } catch (error) {
    // A resource route has no error boundary: answer with the same words as the 403 page.
    if (error instanceof Response && error.status === 403) return forbiddenPage(locale);
    throw error;
  }
  const url = new URL(request.url);
  const read = readAuditSearch(url.searchParams);
  // The page explains what is wrong with the filters, field by field.
  if (!read.ok) throw redirect(`/${locale}/admin/audit${url.search}`);
  const { search } = read;

  await recordAudit(context.db, {
    ...staff.actor,
    action: 'audit.export',
    outcome: 'success',
    ip: context.clientIp,
    details: { ...search.query },
  });

  const filename = `audit-${tokyoDate(new Date()).replaceAll('-', '')}.csv`;
  return new Response(csvStream(context, search, locale), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}

function csvStream(
  context: LoaderFunctionArgs['context'],
  search: AuditSearch,
  locale: Locale,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | undefined;
  let written = 0;
  let first = true;
  return new ReadableStream({
    async pull(controller) {
      const batch: AuditRecord[] = await listAudit(context.db, {
        ...search.filter,
        before: before === undefined ? undefined : { seq: before },
        limit: BATCH,
      });
      const rows = batch.slice(0, MAX_ROWS - written);
      written += rows.length;
      const csv = auditCsv(rows);
      // auditCsv starts every call with the BOM and the header line: keep them only once.
      const body = csv.slice(csv.indexOf('\r\n') + 2);
      controller.enqueue(encoder.encode(first ? `\uFEFF${csvHeader(csv, locale)}${body}` : body));
      first = false;
      if (batch.length < BATCH || written >= MAX_ROWS) controller.close();
      else before = batch.at(-1)!.seq;
    },
  });
}

/**
 * The header line in the page's language: staff open the file in Excel, where column names
 * are what they read. The columns and their order are auditCsv's.
 */
function csvHeader(csv: string, locale: Locale): string {
  const t = translator(locale);
  const names = csv.slice(1, csv.indexOf('\r\n')).split(',');
  return (
    names
      .map((name) => t(`adminAudit:csv.${name}`, { defaultValue: name }))
      .map((label) => (/[",\r\n]/.test(label) ? `"${label.replaceAll('"', '""')}"` : label))
      .join(',') + '\r\n'
  );
}

function forbiddenPage(locale: Locale): Response {
  return new Response(plainPage(locale, 'forbidden', [tokensHref, stylesHref]), {
    status: 403,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}
