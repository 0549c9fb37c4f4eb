import { randomUUID } from 'node:crypto';
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { formatDateBoth } from '../i18n/dates.ts';
import {
  backTo,
  backToRefusal,
  flowAnswers,
  flowRequest,
  flowSoFar,
} from '../reservations/booking-flow.server.ts';
import {
  bookedWithKey,
  memberReservationIds,
} from '../reservations/booking-flow.service.server.ts';
import { StateFields, StepIndicator, timeRange } from '../reservations/booking-flow-ui.tsx';
import { flowPairs, stepHref } from '../reservations/booking-flow.ts';
import { detailsProblems, readQuestions } from '../reservations/booking-flow-input.server.ts';
import { formatReservationId } from '../reservations/booking.ts';
import { book } from '../reservations/booking.service.server.ts';
import bookingStyles from '../ui/booking.css';
import { Notice } from '../ui/form.tsx';
import { joinFromFlow } from '../reservations/waitlist-flow.server.ts';

export const handle: RouteHandle = {
  title: 'bookingFlow:check.title',
  i18n: ['bookingFlow', 'waitlist'],
};
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

/** Step 6 (decision 0052): every answer with a "change" link, and the confirm button. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await flowRequest(request, params, context);
  const { lang } = ctx;
  const { facility, slot, members, rules, state } = await flowSoFar(ctx, context);
  const questions = readQuestions(rules.questions);
  const problems = detailsProblems(state, questions);
  if (Object.keys(problems).length) backTo(lang, 'details', state, problems);
  const ids = await memberReservationIds(context.db, ctx.code, members);
  const en = lang === 'en';
  return {
    lang,
    facility: en ? facility.nameEn : facility.nameJa,
    address: en ? facility.addressEn : facility.addressJa,
    date: formatDateBoth(slot.startsAt, lang),
    time: timeRange(slot.startsAt, slot.endsAt, lang),
    people: [ctx.session.reservationId, ...ids].map(formatReservationId),
    answers: questions.map((q) => {
      const value = state.answers[q.id] ?? '';
      const option = q.options.find((o) => o.value === value);
      return {
        id: q.id,
        label: en ? q.labelEn : q.labelJa,
        value: option ? (en ? option.labelEn : option.labelJa) : value,
        yesNo: q.type === 'yes_no' ? value : null,
      };
    }),
    email: state.email ?? '',
    phone: state.phone ?? '',
    needs: state.needs,
    pairs: flowPairs(state),
    /** Joining the waitlist, not booking (decision 0054). */
    waitlist: Boolean(state.waitlist),
    // One per rendering of this page: a double submit of its form books once.
    idempotencyKey: randomUUID(),
    change: {
      facility: stepHref(lang, 'facility', state),
      date: stepHref(lang, 'date', { ...state, month: slot.day.slice(0, 7) }),
      time: stepHref(lang, 'time', state),
      people: stepHref(lang, 'people', state),
      details: stepHref(lang, 'details', state),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const ctx = await flowRequest(request, params, context, form);
  const { lang, code } = ctx;
  const key = String(form.get('idempotencyKey') ?? '');
  if (!/^[0-9a-f-]{36}$/.test(key)) throw redirect(stepHref(lang, 'check', ctx.state));
  // The same form sent twice: the first submit's booking is the answer.
  if (await bookedWithKey(context.db, code, key)) return redirect(`/${lang}/reservations?booked=1`);
  const { kind, rules, state } = await flowSoFar(ctx, context);
  const problems = detailsProblems(state, readQuestions(rules.questions));
  if (Object.keys(problems).length) backTo(lang, 'details', state, problems);
  if (ctx.state.waitlist) return joinFromFlow(ctx, context, kind, state, key);
  const outcome = await book(context.db, ctx.actor, {
    municipalityCode: code,
    kind,
    ...flowAnswers(ctx, context, state),
    idempotencyKey: key,
    via: ctx.session.via === 'portal' ? 'portal' : 'letter',
  });
  switch (outcome.outcome) {
    case 'booked':
      // mail: confirmation
      return redirect(`/${lang}/reservations?booked=1`);
    case 'slot_full':
      return backTo(lang, 'time', state, { slot: 'errors.slotFull' });
    default:
      return backToRefusal(lang, state, outcome);
  }
}

export default function CheckStep() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation('bookingFlow');
  const { t: tw } = useTranslation('waitlist');
  const row = (label: string, value: React.ReactNode, href: string, what: string) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd>
        <Link to={href}>
          {t('check.change')}
          <span className="visually-hidden"> {what}</span>
        </Link>
      </dd>
    </div>
  );
  return (
    <div className="page page--narrow">
      <StepIndicator step="check" />
      <h1>{data.waitlist ? tw('check.title') : t('check.title')}</h1>
      {data.waitlist ? <Notice tone="info">{tw('check.notice')}</Notice> : null}
      <dl className="meta-list">
        {row(
          t('check.facility'),
          <>
            {data.facility}
            <br />
            {data.address}
          </>,
          data.change.facility,
          t('check.facility'),
        )}
        {row(t('check.date'), data.date, data.change.date, t('check.date'))}
        {row(t('check.time'), data.time, data.change.time, t('check.time'))}
        {row(
          t('check.people', { count: data.people.length }),
          <ul>
            {data.people.map((p) => (
              <li key={p} translate="no" data-reservation-id>
                {p}
              </li>
            ))}
          </ul>,
          data.change.people,
          t('check.peopleShort'),
        )}
        {data.answers.map((a) =>
          row(
            a.label,
            a.yesNo ? t(`details.${a.yesNo}`) : a.value || t('check.none'),
            data.change.details,
            a.label,
          ),
        )}
        {row(t('details.email'), data.email, data.change.details, t('details.email'))}
        {row(
          t('details.phone'),
          data.phone || t('check.none'),
          data.change.details,
          t('details.phone'),
        )}
        {row(
          t('details.needs'),
          data.needs.length
            ? data.needs.map((n) => t(`needs.${n}`)).join(t('check.listSeparator'))
            : t('check.none'),
          data.change.details,
          t('details.needs'),
        )}
      </dl>
      <Form method="post" className="form">
        <StateFields pairs={data.pairs} />
        <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
        <p>{data.waitlist ? tw('check.lead') : t('check.lead')}</p>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {data.waitlist ? tw('check.confirm') : t('check.confirm')}
          </button>
        </div>
      </Form>
    </div>
  );
}
