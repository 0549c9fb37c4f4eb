import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireStaffForDownload } from '../platform/staff-download.server.ts';
import { csvStream } from '../csv/csv-stream.server.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { defaultLocale, isLocale, type Locale } from '../i18n/locales.ts';
import { TARGET_EXPORT_HEADER } from '../targets/target-export-csv.ts';
import { exportTargets } from '../targets/target-export.service.server.ts';
import { readExportSearch } from '../targets/target-export-search.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';

/**
 * The clerk's city's card-pickup targets as CSV (decision 0047), with the export page's
 * choices. The header is the CS list's own (Japanese in either language), so the file goes
 * back in through the import. Rows stream out page by page. Choices the page would refuse (a
 * wrong state, CP932 that cannot hold a name) go back to the page, which says what is wrong;
 * another city's import is not found. An old address's `city` is ignored.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  const staff = await requireStaffForDownload(request, context, 'targets:export', locale);
  const url = new URL(request.url);
  const back = redirect(`/${locale}/admin/targets/export${url.search}`);
  const read = readExportSearch(url.searchParams);
  if (!read.ok) throw back;
  const { search } = read;
  const city = clerkOf(staff, context.env).municipalityCode;

  const result = await exportTargets(
    context.db,
    staff.actor,
    { municipalityCode: city, state: search.state, importId: search.importId },
    search.encoding,
  );
  if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  if (result.outcome === 'refused') throw back;

  const day = tokyoDate(new Date()).replaceAll('-', '');
  const filename = `targets-${city}-${day}${search.encoding === 'cp932' ? '-cp932' : ''}.csv`;
  const charset = search.encoding === 'cp932' ? 'shift_jis' : 'utf-8';
  return new Response(csvStream(TARGET_EXPORT_HEADER, result.lines, search.encoding), {
    headers: {
      'Content-Type': `text/csv; charset=${charset}`,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
