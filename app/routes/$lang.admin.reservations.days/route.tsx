import { bookingMailerOf } from '../../reservations/booking-mail.server.ts';
import { randomUUID } from 'node:crypto';
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import dayListHref from '../../ui/day-list.css';
import { requireStaff } from '../../identity/guards.server.ts';
import { addDays, formatDate, tokyoDate, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale, translator } from '../../i18n/locales.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { bookingRules } from '../../reservations/booking.service.server.ts';
import { closeDay, dayClosePreview } from '../../reservations/calendar.service.server.ts';
import type { Question } from '../../reservations/booking-flow.ts';
import { readQuestions } from '../../reservations/booking-flow-input.server.ts';
import {
  bookByPhone,
  chooseFacility,
  dayView,
} from '../../reservations/staff-days.service.server.ts';
import { readDay, splitReservationIds, tokyoTime } from '../../reservations/staff-days.ts';
import { formatReservationId } from '../../reservations/booking.ts';
import { PrintButton } from '../../letters/printed-letter.tsx';
import { Notice } from '../../ui/form.tsx';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { CloseDaySchema, PhoneBookSchema } from './day.schema.ts';
import { CloseDay } from './close-day.tsx';
import { PeriodPicker } from './period-picker.tsx';
import { SlotTable } from './slot-table.tsx';
import { PhoneBookForm } from './phone-book-form.tsx';

export const handle: RouteHandle = {
  i18n: ['reservationDays', 'adminTargets', 'bookingFlow', 'waitlist'],
};

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: dayListHref }];

const DONE = ['booked', 'moved', 'cancelled', 'dayClosed'] as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const t = translator(locale);
  const url = new URL(request.url);
  const clerk = clerkOf(staff, context.env);
  const day = readDay(url.searchParams.get('date')) ?? tokyoDate(new Date());
  const { facilities, chosen } = await chooseFacility(
    context.db,
    clerk.municipalityCode,
    url.searchParams.get('facility'),
  );
  const slots = chosen ? await dayView(context.db, clerk.municipalityCode, chosen.id, day) : [];
  const questions = new Map<string, string>();
  // The phone booking asks each kind's pre-booking questions as the resident flow does.
  const questionsByKind: Partial<Record<'card_pickup' | 'cert_renewal', Question[]>> = {};
  for (const kind of ['card_pickup', 'cert_renewal'] as const) {
    const rules = await bookingRules(context.db, clerk.municipalityCode, kind);
    for (const q of rules.questions as { id?: string; label?: Record<string, string> }[])
      if (q.id) questions.set(q.id, q.label?.[locale] ?? q.id);
    if (chosen?.kinds.includes(kind)) questionsByKind[kind] = readQuestions(rules.questions);
  }
  // The confirm step of closing the day: what it would touch.
  const closing =
    chosen && url.searchParams.get('close') === 'confirm'
      ? await dayClosePreview(context.db, clerk.municipalityCode, chosen.id, day)
      : null;
  const now = Date.now();
  const done = DONE.find((d) => d === url.searchParams.get('done')) ?? null;
  const dayText = formatDate(tokyoDayStart(day), locale);
  return {
    title: t('reservationDays:day.title', { date: dayText }),
    day,
    dayText,
    previous: addDays(day, -1),
    next: addDays(day, 1),
    facilities: facilities.map((f) => ({ id: f.id, name: locale === 'ja' ? f.nameJa : f.nameEn })),
    facility: chosen
      ? {
          id: chosen.id,
          name: locale === 'ja' ? chosen.nameJa : chosen.nameEn,
          kinds: chosen.kinds,
        }
      : null,
    slots: slots.map((s) => ({
      id: s.id,
      from: tokyoTime(s.startsAt),
      to: tokyoTime(s.endsAt),
      capacity: s.capacity,
      taken: s.taken,
      closed: s.closedAt !== null,
      waitlist: s.waitlist,
      bookable: s.closedAt === null && s.startsAt.getTime() > now && s.taken < s.capacity,
      bookings: s.bookings.map((b) => ({
        ...b,
        members: b.members.map((m) => ({
          ...m,
          reservationId: m.reservationId ? formatReservationId(m.reservationId) : null,
        })),
        answers: Object.entries(b.answers).map(([id, value]) => ({
          question: questions.get(id) ?? id,
          value,
        })),
      })),
    })),
    done,
    idempotencyKey: randomUUID(),
    questionsByKind,
    closing,
  };
}

export type DayLoader = typeof loader;

const REFUSAL_FIELD = {
  unknown_reservation_id: 'reservationIds',
  member_already_booked: 'reservationIds',
  member_cannot_book: 'reservationIds',
  duplicate_member: 'reservationIds',
  no_members: 'reservationIds',
  too_many: 'reservationIds',
  slot_not_found: 'slotId',
  slot_unavailable: 'slotId',
  slot_past_deadline: 'slotId',
  slot_beyond_horizon: 'slotId',
  slot_full: 'slotId',
} as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const clerk = clerkOf(staff, context.env);
  const formData = await request.formData();
  if (formData.get('intent') === 'closeDay')
    return closeDayAction(request, formData, context, staff);
  const submission = parseWithZod(formData, { schema: PhoneBookSchema });
  if (submission.status !== 'success')
    return data(
      { intent: 'book' as const, result: submission.reply(), detail: null, answerErrors: {} },
      { status: 400 },
    );
  const input = submission.value;
  const outcome = await bookByPhone(
    context.db,
    clerk,
    {
      kind: input.kind,
      slotId: input.slotId,
      reservationIds: splitReservationIds(input.reservationIds),
      email: input.email ?? null,
      phone: input.phone.normalize('NFKC'),
      locale,
      needs: input.needs ?? [],
      answers: input.q ?? {},
      idempotencyKey: input.idempotencyKey,
    },
    bookingMailerOf(context),
  );
  if (outcome.outcome === 'booked') {
    const url = new URL(request.url);
    url.searchParams.set('done', 'booked');
    throw redirect(`${url.pathname}${url.search}`);
  }
  if (outcome.outcome === 'answers_invalid')
    return data(
      {
        intent: 'book' as const,
        result: submission.reply(),
        detail: null,
        answerErrors: outcome.problems,
      },
      { status: 400 },
    );
  const field = REFUSAL_FIELD[outcome.outcome];
  const detail =
    outcome.outcome === 'too_many'
      ? { max: outcome.max }
      : outcome.outcome === 'slot_full'
        ? { left: outcome.left }
        : outcome.outcome === 'unknown_reservation_id'
          ? { ids: outcome.reservationIds.join(', ') }
          : {};
  return data(
    {
      intent: 'book' as const,
      result: submission.reply({
        fieldErrors: { [field]: [`refusals.${outcome.outcome}`] },
      }),
      detail,
      answerErrors: {},
    },
    { status: 409 },
  );
}

/**
 * Closing the day shown (decision 0056): one transaction closes its open slots and cancels
 * their bookings with the message, each booker mailed once. A second submit finds the day
 * closed and shows the same result.
 */
async function closeDayAction(
  request: Request,
  formData: FormData,
  context: ActionFunctionArgs['context'],
  staff: Awaited<ReturnType<typeof requireStaff>>,
) {
  const clerk = clerkOf(staff, context.env);
  const submission = parseWithZod(formData, { schema: CloseDaySchema });
  if (submission.status !== 'success')
    return data({ intent: 'closeDay' as const, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  const outcome = await closeDay(
    context.db,
    clerk,
    input.facilityId,
    input.day,
    input.message ?? '',
    { expectedBookings: input.expected, mailer: bookingMailerOf(context) },
  );
  if (outcome.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  const url = new URL(request.url);
  if (outcome.outcome === 'closed' || outcome.outcome === 'already_closed') {
    url.searchParams.delete('close');
    url.searchParams.set('done', 'dayClosed');
    throw redirect(`${url.pathname}${url.search}`);
  }
  const error = {
    needs_message: 'errors.closeMessage',
    changed: 'errors.closeChanged',
    no_slots: 'errors.closeNoSlots',
  }[outcome.outcome];
  return data(
    {
      intent: 'closeDay' as const,
      result: submission.reply({ fieldErrors: { message: [error] } }),
    },
    { status: 409 },
  );
}

export default function DayList() {
  const { t } = useTranslation('reservationDays');
  const { lang } = useParams();
  const { title, facility, facilities, slots, day, dayText, done, previous, next } =
    useLoaderData<typeof loader>();
  const query = (date: string) =>
    `?date=${date}${facility ? `&facility=${encodeURIComponent(facility.id)}` : ''}`;
  const places = slots.reduce((n, s) => n + s.taken, 0);
  const capacity = slots.reduce((n, s) => n + (s.closed ? 0 : s.capacity), 0);
  return (
    <div className="page day-list">
      <h1>{title}</h1>
      {done ? <Notice focusKey={done}>{t(`done.${done}`)}</Notice> : null}
      <div className="screen-only">
        <PeriodPicker type="date" value={day} facilities={facilities} facilityId={facility?.id} />
        <ul className="day-list__links">
          <li>
            <Link to={query(previous)}>{t('day.previous')}</Link>
          </li>
          <li>
            <Link to={query(next)}>{t('day.next')}</Link>
          </li>
          {facility ? (
            <>
              <li>
                <Link
                  to={`/${lang}/admin/reservations/month?month=${day.slice(0, 7)}&facility=${facility.id}`}
                >
                  {t('day.toMonth')}
                </Link>
              </li>
              <li>
                <a
                  href={`/${lang}/admin/reservations/days.csv?date=${day}&facility=${facility.id}`}
                  download
                >
                  {t('day.csv')}
                </a>
              </li>
            </>
          ) : null}
        </ul>
        <PrintButton label={t('day.print')} withoutScript={t('day.printWithoutScript')} />
      </div>
      {facility ? (
        <>
          <p className="day-list__facility">
            {t('day.facility')}: <MarkJapanese text={facility.name} />
            {' · '}
            {dayText}
            {' · '}
            {t('day.placesTotal', { taken: places, capacity })}
          </p>
          {slots.length === 0 ? <p>{t('day.noSlots')}</p> : null}
          {slots.map((slot) => (
            <SlotTable key={slot.id} slot={slot} />
          ))}
          <CloseDay />
          <PhoneBookForm />
        </>
      ) : (
        <p>{t('day.noFacilities')}</p>
      )}
    </div>
  );
}
