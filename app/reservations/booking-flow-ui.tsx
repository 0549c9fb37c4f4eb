/**
 * The booking flow's shared pieces (decision 0052): the answers so far as hidden fields, the
 * step heading, the accessible month calendar and how dates and times are said.
 */
import { useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { Link } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { addDays, rangeText, TIME_ZONE, tokyoAt } from '../i18n/dates.ts';
import { intlLocale, type Locale } from '../i18n/locales.ts';
import type { Availability } from './booking-rules.ts';
import { STEPS, type CalendarDay, type Question, type Step } from './booking-flow.ts';
import { Field, Fieldset } from '../ui/form.tsx';

export function StateFields({ pairs }: { pairs: [string, string][] }) {
  return (
    <>
      {pairs.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** "Step 2 of 6" above the page's own heading. */
export function StepIndicator({ step }: { step: Step }) {
  const { t } = useTranslation('bookingFlow');
  return (
    <p className="booking-steps">
      {t('stepOf', { n: STEPS.indexOf(step) + 1, total: STEPS.length })}
    </p>
  );
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(locale: Locale, options: Intl.DateTimeFormatOptions, key: string) {
  const k = `${locale}|${key}`;
  let f = dayFormatters.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale[locale], { timeZone: TIME_ZONE, ...options });
    dayFormatters.set(k, f);
  }
  return f;
}

/** 12月3日(木) / Thursday 3 December: a calendar day (YYYY-MM-DD) as it is said. */
export const dayText = (day: string, locale: Locale) =>
  dayFormatter(
    locale,
    { weekday: locale === 'ja' ? 'short' : 'long', month: 'long', day: 'numeric', year: 'numeric' },
    'day',
  ).format(tokyoAt(day, '12:00'));

export const monthText = (month: string, locale: Locale) =>
  dayFormatter(locale, { year: 'numeric', month: 'long' }, 'month').format(
    tokyoAt(`${month}-15`, '12:00'),
  );

/** 10:00〜11:00 / 10:00 to 11:00 in Japan time. */
export const timeRange = (from: string | Date, to: string | Date, locale: Locale) => {
  const f = dayFormatter(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, 'time');
  return rangeText(f.format(new Date(from)), f.format(new Date(to)), locale);
};

const WEEKDAY_DAYS = [
  '2024-01-01',
  '2024-01-02',
  '2024-01-03',
  '2024-01-04',
  '2024-01-05',
  '2024-01-06',
  '2024-01-07',
];

export function AvailabilityText({ availability }: { availability: Availability | null }) {
  const { t } = useTranslation('bookingFlow');
  const icon = availability === 'available' ? '○' : availability === 'few' ? '△' : '×';
  return (
    <span className="calendar__state">
      <span aria-hidden="true">{icon} </span>
      {t(`availability.${availability ?? 'none'}`)}
    </span>
  );
}

const noSubscription = () => () => {};

/**
 * The month as a real table: a caption, a header per weekday, one cell per day. A bookable
 * day is a link whose name says the date and its state; other days are text. With JS, one
 * day link is in the tab order and the arrow keys move between them (roving tabindex).
 */
export function MonthCalendar({
  month,
  weeks,
  hrefOf,
}: {
  month: string;
  weeks: CalendarDay[][];
  hrefOf: (day: string) => string;
}) {
  const { i18n } = useTranslation('bookingFlow');
  const locale = (i18n.language === 'en' ? 'en' : 'ja') as Locale;
  const linked = weeks.flat().filter((d) => d.availability && d.availability !== 'full');
  // Only once hydrated (JS runs) does the calendar take one tab stop: without JS every day link is one.
  const enhanced = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [current, setCurrent] = useState(linked[0]?.day ?? null);
  const table = useRef<HTMLTableElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const from = (event.target as HTMLElement).closest('a')?.dataset.day;
    if (!from) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 7, ArrowUp: -7 }[event.key];
    let next: string | undefined;
    if (step) {
      const wanted = addDays(from, step);
      const ordered = step > 0 ? linked : [...linked].reverse();
      next = ordered.find((d) => (step > 0 ? d.day >= wanted : d.day <= wanted))?.day;
    } else if (event.key === 'Home') next = linked[0]?.day;
    else if (event.key === 'End') next = linked.at(-1)?.day;
    else return;
    event.preventDefault();
    if (!next) return;
    setCurrent(next);
    table.current?.querySelector<HTMLAnchorElement>(`a[data-day="${next}"]`)?.focus();
  };

  const weekdayShort = dayFormatter(locale, { weekday: 'short' }, 'wd-short');
  const weekdayLong = dayFormatter(locale, { weekday: 'long' }, 'wd-long');
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- keys move between the links inside
    <table className="calendar" ref={table} onKeyDown={onKeyDown} aria-describedby="calendar-help">
      <caption>{monthText(month, locale)}</caption>
      <thead>
        <tr>
          {WEEKDAY_DAYS.map((d) => {
            const date = tokyoAt(d, '12:00');
            return (
              <th key={d} scope="col" abbr={weekdayLong.format(date)}>
                {weekdayShort.format(date)}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]!.day}>
            {week.map((d) => {
              if (d.outside) return <td key={d.day} />;
              const number = Number(d.day.slice(8));
              const bookable = d.availability && d.availability !== 'full';
              const content = (
                <>
                  <span className="visually-hidden">{dayText(d.day, locale)} </span>
                  <span aria-hidden="true">{number}</span>{' '}
                  <AvailabilityText availability={d.availability} />
                </>
              );
              return (
                <td key={d.day}>
                  {bookable ? (
                    <Link
                      to={hrefOf(d.day)}
                      data-day={d.day}
                      tabIndex={enhanced ? (d.day === current ? 0 : -1) : undefined}
                      onFocus={() => setCurrent(d.day)}
                    >
                      {content}
                    </Link>
                  ) : (
                    <span className="calendar__day">{content}</span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CalendarHelp() {
  const { t } = useTranslation('bookingFlow');
  return (
    <p id="calendar-help" className="field__hint">
      {t('date.help')}
    </p>
  );
}

/**
 * The rules' pre-booking questions as fields named `q.<id>` (ids `q-<id>`): a text is a text
 * area, a choice or yes/no a group of radio buttons; required ones say so. The resident flow's
 * details step and a clerk's phone booking ask them the same way.
 */
export function QuestionFields({
  questions,
  values,
  errorOf,
  locale,
}: {
  questions: readonly Question[];
  values: Readonly<Record<string, string>>;
  errorOf: (name: string) => string | undefined;
  locale: Locale;
}) {
  const { t } = useTranslation('bookingFlow');
  const en = locale === 'en';
  return (
    <>
      {questions.map((q) => {
        const label = en ? q.labelEn : q.labelJa;
        const name = `q.${q.id}`;
        const value = values[q.id] ?? '';
        if (q.type === 'text')
          return (
            <Field
              key={q.id}
              id={`q-${q.id}`}
              label={label}
              error={errorOf(name)}
              required={q.required}
            >
              {(describedBy, invalid) => (
                <textarea
                  id={`q-${q.id}`}
                  name={name}
                  defaultValue={value}
                  rows={3}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          );
        const options =
          q.type === 'yes_no'
            ? [
                { value: 'yes', label: t('bookingFlow:details.yes') },
                { value: 'no', label: t('bookingFlow:details.no') },
              ]
            : q.options.map((o) => ({ value: o.value, label: en ? o.labelEn : o.labelJa }));
        return (
          <Fieldset
            key={q.id}
            id={`q-${q.id}-group`}
            legend={label}
            error={errorOf(name)}
            required={q.required}
          >
            {() =>
              options.map((o, i) => (
                <div className="checkbox" key={o.value}>
                  <input
                    type="radio"
                    id={i === 0 ? `q-${q.id}` : `q-${q.id}-${i}`}
                    name={name}
                    value={o.value}
                    defaultChecked={value === o.value}
                  />
                  <label htmlFor={i === 0 ? `q-${q.id}` : `q-${q.id}-${i}`}>{o.label}</label>
                </div>
              ))
            }
          </Fieldset>
        );
      })}
    </>
  );
}
