import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDate, TIME_ZONE, tokyoDate, tokyoDayStart } from '../../i18n/dates.ts';
import { intlLocale, isLocale, translator } from '../../i18n/locales.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { chooseFacility, monthView } from '../../reservations/staff-days.service.server.ts';
import { nextMonth, previousMonth, readMonth } from '../../reservations/staff-days.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { PeriodPicker } from '../$lang.admin.reservations.days/period-picker.tsx';

export const handle: RouteHandle = { i18n: ['reservationDays'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const clerk = clerkOf(staff, context.env);
  const month = readMonth(url.searchParams.get('month')) ?? tokyoDate(new Date()).slice(0, 7);
  const { facilities, chosen } = await chooseFacility(
    context.db,
    clerk.municipalityCode,
    url.searchParams.get('facility'),
  );
  const days = chosen ? await monthView(context.db, clerk.municipalityCode, chosen.id, month) : [];
  const monthText = new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
  }).format(tokyoDayStart(`${month}-01`));
  return {
    title: translator(locale)('reservationDays:month.title', { month: monthText }),
    month,
    previous: previousMonth(month),
    next: nextMonth(month),
    facilities: facilities.map((f) => ({ id: f.id, name: locale === 'ja' ? f.nameJa : f.nameEn })),
    facility: chosen
      ? { id: chosen.id, name: locale === 'ja' ? chosen.nameJa : chosen.nameEn }
      : null,
    days: days.map((d) => ({ ...d, text: formatDate(tokyoDayStart(d.day), locale) })),
  };
}

export default function MonthView() {
  const { t } = useTranslation('reservationDays');
  const { lang } = useParams();
  const { title, month, previous, next, facilities, facility, days } =
    useLoaderData<typeof loader>();
  const f = facility ? `&facility=${encodeURIComponent(facility.id)}` : '';
  const sum = (key: 'slots' | 'bookings' | 'taken' | 'capacity') =>
    days.reduce((n, d) => n + d[key], 0);
  return (
    <div className="page">
      <h1>{title}</h1>
      <PeriodPicker type="month" value={month} facilities={facilities} facilityId={facility?.id} />
      <ul className="day-list__links">
        <li>
          <Link to={`?month=${previous}${f}`}>{t('month.previous')}</Link>
        </li>
        <li>
          <Link to={`?month=${next}${f}`}>{t('month.next')}</Link>
        </li>
        {facility ? (
          <li>
            <a href={`/${lang}/admin/reservations/days.csv?month=${month}${f}`} download>
              {t('month.csv')}
            </a>
          </li>
        ) : null}
      </ul>
      {facility ? (
        <TableRegion labelledBy="month-caption">
          <table>
            <caption id="month-caption">
              {t('month.caption')} — <MarkJapanese text={facility.name} />
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('month.day')}</th>
                <th scope="col">{t('month.slots')}</th>
                <th scope="col">{t('month.bookings')}</th>
                <th scope="col">{t('month.places')}</th>
                <th scope="col">{t('month.capacity')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">
                    {d.slots > 0 ? (
                      <Link to={`/${lang}/admin/reservations/days?date=${d.day}${f}`}>
                        {d.text}
                      </Link>
                    ) : (
                      d.text
                    )}
                  </th>
                  <td>{d.slots}</td>
                  <td>{d.bookings}</td>
                  <td>{d.taken}</td>
                  <td>{d.capacity}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('month.total')}</th>
                <td>{sum('slots')}</td>
                <td>{sum('bookings')}</td>
                <td>{sum('taken')}</td>
                <td>{sum('capacity')}</td>
              </tr>
            </tfoot>
          </table>
        </TableRegion>
      ) : (
        <p>{t('day.noFacilities')}</p>
      )}
    </div>
  );
}
