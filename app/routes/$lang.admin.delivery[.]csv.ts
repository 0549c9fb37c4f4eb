import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireStaffForDownload } from '../platform/staff-download.server.ts';
import { exportMonthlyDeliveryTotals } from '../delivery/delivery-export.service.server.ts';
import { deliveryCsv } from '../delivery/delivery-csv.ts';
import { readPeriod } from '../delivery/period.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/locales.ts';

/**
 * The delivery page's monthly totals as CSV (UTF-8 with BOM, for Excel), for the same period.
 * A few hundred rows at most (120 months × 2 kinds), so it is built in one piece.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  const staff = await requireStaffForDownload(request, context, 'delivery:read', locale);
  const url = new URL(request.url);
  const now = new Date();
  const read = readPeriod(url.searchParams, now);
  // The page explains what is wrong with the period, field by field.
  if (!read.ok) throw redirect(`/${locale}/admin/delivery${url.search}`);
  const { period } = read;

  const totals = await exportMonthlyDeliveryTotals(context.db, staff.actor, period, now);

  const filename = `delivery-${period.from.replace('-', '')}-${period.to.replace('-', '')}-${tokyoDate(now).replaceAll('-', '')}.csv`;
  return new Response(deliveryCsv(totals, translator(locale)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
