import { tokyoDayStart } from '../i18n/dates.ts';
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Fieldset } from '../ui/form.tsx';
import type { Locale } from '../i18n/locales.ts';
import type { AppContext } from '../context.ts';
import { backTo, flowRequest, stepErrors } from '../reservations/booking-flow.server.ts';
import {
  daySlots,
  facilitiesFor,
  heldBooking,
  readMembers,
  slotChoice,
} from '../reservations/booking-flow.service.server.ts';
import { nearestFreeSlots, type SlotChoice } from '../reservations/slot-choices.server.ts';
import {
  AvailabilityText,
  StateFields,
  StepIndicator,
  dayText,
  timeRange,
} from '../reservations/booking-flow-ui.tsx';
import { flowPairs, stepHref } from '../reservations/booking-flow.ts';
import { changeBooking } from '../reservations/booking.service.server.ts';
import { bookingMailerOf } from '../reservations/booking-mail.server.ts';
import bookingStyles from '../ui/booking.css';

export const handle: RouteHandle = {
  title: 'bookingFlow:time.title',
  i18n: ['bookingFlow', 'waitlist'],
};
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

type Ctx = Awaited<ReturnType<typeof flowRequest>>;

/** The facility and day chosen so far, and how many places the booking needs. */
async function chosen({ lang, state, session, code }: Ctx, { db, secrets }: AppContext) {
  const kind = state.kind ?? 'card_pickup';
  const facility = (await facilitiesFor(db, code, kind)).find((f) => f.id === state.facility);
  if (!facility) backTo(lang, 'facility', state, { facility: 'errors.facilityRequired' });
  const held = state.change ? await heldBooking(db, code, session.targetId) : null;
  if (state.change && held?.id !== state.change) throw redirect(`/${lang}/reservations`);
  const places = held ? held.places : 1 + readMembers(secrets, session.id, state.members).length;
  return { kind, facility, held, places };
}

const slotView = (s: SlotChoice) => ({
  id: s.id,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  left: s.left,
  availability: s.availability,
  choosable: s.choosable,
  /** Full but open: the resident may join its waitlist (decision 0054). */
  join: null as string | null,
});

/** Step 3 (decision 0052): a time on the chosen day; full times are said, not offered. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await flowRequest(request, params, context);
  const { lang, state, code } = ctx;
  const { kind, facility, places } = await chosen(ctx, context);
  if (!state.day) backTo(lang, 'date', state, { day: 'errors.dayRequired' });
  const slots = await daySlots(context.db, code, kind, facility.id, state.day, places);
  const errors = stepErrors(request);
  const filled =
    errors.slot && state.slot
      ? await slotChoice(context.db, code, kind, facility.id, state.slot, 1)
      : null;
  const nearest =
    errors.slot === 'errors.slotFull'
      ? await nearestFreeSlots(
          context.db,
          code,
          kind,
          facility.id,
          filled?.startsAt ?? tokyoDayStart(state.day),
          places,
        )
      : [];
  const base = { ...state, kind, slot: undefined };
  return {
    lang,
    day: state.day,
    places,
    change: Boolean(state.change),
    facilityName: lang === 'en' ? facility.nameEn : facility.nameJa,
    slots: slots.map((s) => ({
      ...slotView(s),
      join:
        !state.change && s.open && !s.choosable
          ? stepHref(lang, 'people', { ...base, slot: s.id, waitlist: '1' })
          : null,
    })),
    nearest: nearest.filter((n) => !slots.some((s) => s.id === n.id && s.choosable)).map(slotView),
    chosen: state.slot,
    pairs: flowPairs(base),
    action: state.change ? stepHref(lang, 'time', base) : `/${lang}/reservations/book/people`,
    back: stepHref(lang, 'date', { ...base, day: undefined }),
    errors,
  };
}

/** Changing a booking's time: the new places are taken before the old ones are given back. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const ctx = await flowRequest(request, params, context, form);
  const { lang, state, code, actor } = ctx;
  const { held } = await chosen(ctx, context);
  if (!held || !state.slot) backTo(lang, 'time', state, { slot: 'errors.slotRequired' });
  const outcome = await changeBooking(
    context.db,
    actor,
    code,
    held.id,
    state.slot,
    { staffId: null },
    new Date(),
    // The change's email, and the old slot's freed places offered to its waitlist at once.
    bookingMailerOf(context),
  );
  if (outcome.outcome === 'changed' || outcome.outcome === 'same_slot')
    // mail: change confirmation
    return redirect(`/${lang}/reservations?changed=1`);
  if (outcome.outcome === 'past_deadline') return redirect(`/${lang}/reservations`);
  const error =
    outcome.outcome === 'slot_full'
      ? 'errors.slotFull'
      : outcome.outcome === 'slot_past_deadline'
        ? 'errors.pastDeadline'
        : 'errors.slotUnavailable';
  backTo(lang, 'time', state, { slot: error });
}

function SlotOptions({
  slots,
  chosen,
  prefix,
  withDay,
}: {
  slots: ReturnType<typeof slotView>[];
  chosen?: string;
  prefix: string;
  withDay?: boolean;
}) {
  const { t, i18n } = useTranslation('bookingFlow');
  const { t: tw } = useTranslation('waitlist');
  const locale = (i18n.language === 'en' ? 'en' : 'ja') as Locale;
  return (
    <ul className="slot-list">
      {slots.map((s, i) => {
        const text = (
          <>
            {withDay ? `${dayText(s.startsAt.slice(0, 10), locale)} ` : ''}
            {timeRange(s.startsAt, s.endsAt, locale)}{' '}
            <AvailabilityText availability={s.choosable ? s.availability : 'full'} />
            {s.choosable ? ` ${t('time.left', { count: s.left })}` : ''}
          </>
        );
        return (
          <li key={s.id} className="checkbox">
            {s.choosable ? (
              <>
                <input
                  type="radio"
                  id={`${prefix}-${i}`}
                  name="slot"
                  value={s.id}
                  defaultChecked={s.id === chosen}
                  required
                />
                <label htmlFor={`${prefix}-${i}`}>{text}</label>
              </>
            ) : (
              <>
                <span>{text}</span>
                {s.join ? (
                  <>
                    {' '}
                    <Link to={s.join}>
                      {tw('join', { time: timeRange(s.startsAt, s.endsAt, locale) })}
                    </Link>
                  </>
                ) : null}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export default function TimeStep() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('bookingFlow');
  const { t: tw } = useTranslation('waitlist');
  const locale = (i18n.language === 'en' ? 'en' : 'ja') as Locale;
  const error = data.errors.slot ? t(data.errors.slot) : undefined;
  const anyChoosable = data.slots.some((s) => s.choosable) || data.nearest.length > 0;
  return (
    <div className="page page--narrow">
      {data.change ? null : <StepIndicator step="time" />}
      <h1>{t('time.title')}</h1>
      <p>
        {data.facilityName}, {dayText(data.day, locale)}
      </p>
      <Form method={data.change ? 'post' : 'get'} action={data.action} className="form">
        <ErrorSummary
          errors={error ? [{ id: 'slot-0', label: t('time.legend'), message: error }] : []}
        />
        <StateFields pairs={data.pairs} />
        <Fieldset
          id="slot"
          legend={t('time.legend')}
          hint={t('time.hint', { count: data.places })}
          error={error}
          required
        >
          {() => <SlotOptions slots={data.slots} chosen={data.chosen} prefix="slot" />}
        </Fieldset>
        {data.slots.some((s) => s.join) ? <p>{tw('joinHint')}</p> : null}
        {data.nearest.length ? (
          <Fieldset id="nearest" legend={t('time.nearest')}>
            {() => <SlotOptions slots={data.nearest} prefix="nearest" withDay />}
          </Fieldset>
        ) : null}
        {anyChoosable ? (
          <div className="button-row">
            <button type="submit" className="button button--primary">
              {data.change ? t('time.change') : t('continue')}
            </button>
          </div>
        ) : (
          <p>{t('time.noneLeft')}</p>
        )}
      </Form>
      <p>
        <Link to={data.back}>{t('time.otherDay')}</Link>
      </p>
    </div>
  );
}
