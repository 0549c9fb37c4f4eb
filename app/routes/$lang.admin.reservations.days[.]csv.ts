import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireStaffForDownload } from '../platform/staff-download.server.ts';
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/locales.ts';
import { addDays } from '../i18n/dates.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';
import { chooseFacility, exportBookings } from '../reservations/staff-days.service.server.ts';
import { nextMonth, readDay, readMonth } from '../reservations/staff-days.ts';
import { bookingsCsv } from '../reservations/staff-days-csv.ts';

/**
 * A day's (`?date=`) or a month's (`?month=`) active bookings of one facility as CSV, one line
 * per person (UTF-8 with BOM, formula-safe; decision 0053). Audited as reservations.export.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  const staff = await requireStaffForDownload(request, context, 'reservations:manage', locale);
  const clerk = clerkOf(staff, context.env);
  const url = new URL(request.url);
  const day = readDay(url.searchParams.get('date'));
  const month = readMonth(url.searchParams.get('month'));
  const { chosen } = await chooseFacility(
    context.db,
    clerk.municipalityCode,
    url.searchParams.get('facility'),
  );
  if ((!day && !month) || !chosen || chosen.id !== url.searchParams.get('facility'))
    throw redirect(`/${locale}/admin/reservations/days${url.search}`);
  const period = day
    ? { from: day, to: day }
    : { from: `${month}-01`, to: addDays(`${nextMonth(month!)}-01`, -1) };
  const rows = await exportBookings(
    context.db,
    clerk.actor,
    clerk.municipalityCode,
    chosen.id,
    period,
  );
  const filename = `bookings-${day ?? month}.csv`;
  return new Response(bookingsCsv(rows, translator(locale)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
