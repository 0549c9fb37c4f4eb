import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css';
import stylesHref from '../ui/styles.css';
import { plainPage } from '../platform/plain-page.server.ts';
import { requireStaff, type StaffAccess } from '../identity/guards.server.ts';
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
  let staff: StaffAccess;
  try {
    staff = await requireStaff(request, context, 'delivery:read');
  } catch (error) {
    // A resource route has no error boundary: answer with the same words as the 403 page.
    if (error instanceof Response && error.status === 403) return forbiddenPage(locale);
    throw error;
  }
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

function forbiddenPage(locale: Locale): Response {
  return new Response(plainPage(locale, 'forbidden', [tokensHref, stylesHref]), {
    status: 403,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}
