import type { HeadersFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary } from '../ui/form.tsx';
import { tokyoDate } from '../i18n/dates.ts';
import { backTo, flowRequest, stepErrors } from '../reservations/booking-flow.server.ts';
import { facilitiesFor, monthAvailability } from '../reservations/booking-flow.service.server.ts';
import { CalendarHelp, MonthCalendar, StepIndicator } from '../reservations/booking-flow-ui.tsx';
import { monthWeeks, shiftMonth, stepHref } from '../reservations/booking-flow.ts';
import { bookingRules } from '../reservations/booking.service.server.ts';
import { lastBookableDay } from '../reservations/booking-rules.ts';
import bookingStyles from '../ui/booking.css';

export const handle: RouteHandle = { title: 'bookingFlow:date.title', i18n: ['bookingFlow'] };
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

/** Step 2 (decision 0052): a day, from a month calendar of the facility's published weeks. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { lang, state, code } = await flowRequest(request, params, context);
  const kind = state.kind ?? 'card_pickup';
  const facilities = await facilitiesFor(context.db, code, kind);
  const facility = facilities.find((f) => f.id === state.facility);
  if (!facility) backTo(lang, 'facility', state, { facility: 'errors.facilityRequired' });
  const today = tokyoDate(new Date());
  const rules = await bookingRules(context.db, code, kind);
  const firstMonth = today.slice(0, 7);
  const lastMonth = lastBookableDay(rules, new Date()).slice(0, 7);
  const month =
    state.month && state.month >= firstMonth && state.month <= lastMonth ? state.month : firstMonth;
  const availability = await monthAvailability(context.db, code, kind, facility.id, month);
  const base = { ...state, kind, day: undefined, slot: undefined };
  return {
    lang,
    month,
    facilityName: lang === 'en' ? facility.nameEn : facility.nameJa,
    weeks: monthWeeks(month, availability),
    previous:
      month > firstMonth ? stepHref(lang, 'date', { ...base, month: shiftMonth(month, -1) }) : null,
    next:
      month < lastMonth ? stepHref(lang, 'date', { ...base, month: shiftMonth(month, 1) }) : null,
    dayBase: stepHref(lang, 'time', { ...base, month }),
    back: stepHref(lang, 'facility', base),
    errors: stepErrors(request),
    anyOpen: [...availability.values()].some((a) => a !== 'full'),
  };
}

export default function DateStep() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation('bookingFlow');
  const error = data.errors.day ? t(data.errors.day) : undefined;
  const withDay = (day: string) =>
    `${data.dayBase}${data.dayBase.includes('?') ? '&' : '?'}day=${day}`;
  return (
    <div className="page page--narrow">
      <StepIndicator step="date" />
      <h1>{t('date.title')}</h1>
      <ErrorSummary
        errors={error ? [{ id: 'calendar', label: t('date.title'), message: error }] : []}
      />
      <p>{t('date.lead', { facility: data.facilityName })}</p>
      <CalendarHelp />
      <nav className="calendar-nav" aria-label={t('date.months')}>
        {data.previous ? <Link to={data.previous}>{t('date.previous')}</Link> : <span />}
        {data.next ? <Link to={data.next}>{t('date.next')}</Link> : <span />}
      </nav>
      <div id="calendar" tabIndex={-1}>
        <MonthCalendar month={data.month} weeks={data.weeks} hrefOf={withDay} />
      </div>
      {data.anyOpen ? null : <p>{t('date.noneThisMonth')}</p>}
      <p>
        <Link to={data.back}>{t('back')}</Link>
      </p>
    </div>
  );
}
