import type { z } from 'zod';
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Field, Fieldset } from '../ui/form.tsx';
import { formatDateTime } from '../i18n/dates.ts';
import { flowRequest, flowSoFar, stepErrors } from '../reservations/booking-flow.server.ts';
import {
  hasActiveBooking,
  memberReservationIds,
  readVerifiedMembers,
  signMembers,
  type VerifiedMember,
} from '../reservations/booking-flow.service.server.ts';
import { verifyHouseholdMember } from '../reservations/booking-sign-in.service.server.ts';
import { StateFields, StepIndicator } from '../reservations/booking-flow-ui.tsx';
import { flowPairs, stepHref } from '../reservations/booking-flow.ts';
import { MemberSchema } from '../reservations/booking-flow-input.server.ts';
import { formatReservationId } from '../reservations/booking.ts';
import bookingStyles from '../ui/booking.css';

export const handle: RouteHandle = { title: 'bookingFlow:people.title', i18n: ['bookingFlow'] };
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

/** Step 4 (decision 0052): who comes. The signed-in resident, and household members added. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await flowRequest(request, params, context);
  const { members, rules, state } = await flowSoFar(ctx, context);
  const ids = await memberReservationIds(context.db, ctx.code, members);
  return {
    lang: ctx.lang,
    self: formatReservationId(ctx.session.reservationId),
    members: ids.map((id, i) => ({ index: i, reservationId: formatReservationId(id) })),
    max: rules.maxPeople,
    pairs: flowPairs(state),
    next: stepHref(ctx.lang, 'details', state),
    back: stepHref(ctx.lang, 'time', { ...state, slot: state.slot }),
    errors: stepErrors(request),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const ctx = await flowRequest(request, params, context, form);
  const { kind, members, rules, state } = await flowSoFar(ctx, context);
  const verified = readVerifiedMembers(context.secrets, ctx.session.id, state.members);
  const withMembers = (ids: VerifiedMember[]) =>
    stepHref(ctx.lang, 'people', {
      ...state,
      members: ids.length ? signMembers(context.secrets, ctx.session.id, ids) : undefined,
    });

  if (form.get('intent') === 'remove') {
    const index = Number(form.get('index'));
    return redirect(withMembers(verified.filter((_, i) => i !== index)));
  }

  const submission = parseWithZod(form, { schema: MemberSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: ['password'] }), time: '' }, 400);
  const refuse = (
    field: 'reservationId' | 'password' | 'birthDate' | '',
    key: string,
    time = '',
    status = 400,
  ) =>
    data(
      {
        result: field
          ? submission.reply({ fieldErrors: { [field]: [key] }, hideFields: ['password'] })
          : submission.reply({ formErrors: [key], hideFields: ['password'] }),
        time,
      },
      status,
    );
  if (1 + members.length >= rules.maxPeople) return refuse('reservationId', 'errors.overMax');
  const { reservationId, method, password, birthDate } = submission.value;
  const check = await verifyHouseholdMember(context.db, {
    municipalityCode: ctx.code,
    reservationId,
    ...(method === 'password' ? { password: password ?? '' } : { birthDate }),
    ip: context.clientIp,
    // A renewal booking's household are renewal targets (decision 0055 addendum).
    subject: kind === 'cert_renewal' ? 'renewal' : 'pickup',
  });
  if (check.outcome === 'malformed_id') return refuse('reservationId', 'errors.reservationIdCheck');
  if (check.outcome === 'locked')
    return refuse('', 'errors.locked', formatDateTime(check.until, ctx.lang), 429);
  if (check.outcome === 'invalid')
    return refuse(
      method === 'password' ? 'password' : 'birthDate',
      method === 'password' ? 'errors.memberPassword' : 'errors.memberBirthDate',
    );
  if (check.outcome === 'cannot_book') return refuse('reservationId', 'errors.memberCannotBook');
  if (check.targetId === ctx.session.targetId || members.includes(check.targetId))
    return refuse('reservationId', 'errors.memberTwice');
  if (await hasActiveBooking(context.db, ctx.code, check.targetId, kind))
    return refuse('reservationId', 'errors.memberAlreadyBooked');
  return redirect(withMembers([...verified, { targetId: check.targetId, verifiedBy: method }]));
}

export default function PeopleStep() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation('bookingFlow');
  const [form, fields] = useForm<z.input<typeof MemberSchema>>({
    lastResult: answer?.result,
    shouldValidate: 'onSubmit',
    defaultValue: { method: 'password' },
  });
  const message = (errors: string[] | undefined) =>
    errors?.[0] ? t(errors[0], { time: answer?.time ?? '', max: data.max }) : undefined;
  const routeError = data.errors.members ? t(data.errors.members, { max: data.max }) : undefined;
  const summary = [
    ...(['reservationId', 'method', 'password', 'birthDate'] as const).flatMap((name) =>
      fields[name].errors
        ? [
            {
              id: fields[name].id,
              label: t(`people.${name}`),
              message: message(fields[name].errors) ?? '',
            },
          ]
        : [],
    ),
  ];
  const full = 1 + data.members.length >= data.max;
  return (
    <div className="page page--narrow">
      <StepIndicator step="people" />
      <h1>{t('people.title')}</h1>
      {routeError ? (
        <ErrorSummary
          errors={[{ id: 'people-list', label: t('people.title'), message: routeError }]}
          titleId="people-error-title"
        />
      ) : null}
      <h2 id="people-list" tabIndex={-1}>
        {t('people.who', { count: 1 + data.members.length, max: data.max })}
      </h2>
      <ul>
        <li>
          <span translate="no" data-reservation-id>
            {data.self}
          </span>{' '}
          {t('people.you')}
        </li>
        {data.members.map((m) => (
          <li key={m.index}>
            <Form method="post" className="inline-form">
              <span translate="no" data-reservation-id>
                {m.reservationId}
              </span>{' '}
              <StateFields pairs={data.pairs} />
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="index" value={m.index} />
              <button type="submit" className="button button--secondary">
                {t('people.remove', { id: m.reservationId })}
              </button>
            </Form>
          </li>
        ))}
      </ul>

      <h2>{t('people.addHeading')}</h2>
      {full ? (
        <p>{t('people.full', { max: data.max })}</p>
      ) : (
        <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
          <ErrorSummary errors={summary} formError={message(form.errors)} />
          <StateFields pairs={data.pairs} />
          <p>{t('people.addLead')}</p>
          <Field
            id={fields.reservationId.id}
            label={t('people.reservationId')}
            hint={t('people.reservationIdHint')}
            error={message(fields.reservationId.errors)}
            required
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.reservationId, { type: 'text' })}
                className="input--code"
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <Fieldset
            id={fields.method.id}
            legend={t('people.method')}
            error={message(fields.method.errors)}
            required
          >
            {() => (
              <>
                <div className="checkbox">
                  <input
                    {...getInputProps(fields.method, { type: 'radio', value: 'password' })}
                    id="method-password"
                  />
                  <label htmlFor="method-password">{t('people.byPassword')}</label>
                </div>
                <div className="checkbox">
                  <input
                    {...getInputProps(fields.method, { type: 'radio', value: 'birth_date' })}
                    id="method-birth"
                  />
                  <label htmlFor="method-birth">{t('people.byBirthDate')}</label>
                </div>
              </>
            )}
          </Fieldset>
          <Field
            id={fields.password.id}
            label={t('people.password')}
            hint={t('people.passwordHint')}
            error={message(fields.password.errors)}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.password, { type: 'password' })}
                className="input--code"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <Field
            id={fields.birthDate.id}
            label={t('people.birthDate')}
            hint={t('people.birthDateHint')}
            error={message(fields.birthDate.errors)}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.birthDate, { type: 'date' })}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <div className="button-row">
            <button type="submit" className="button button--secondary">
              {t('people.add')}
            </button>
          </div>
        </Form>
      )}
      <div className="button-row">
        <Link to={data.next} className="button button--primary">
          {t('continue')}
        </Link>
        <Link to={data.back}>{t('back')}</Link>
      </div>
    </div>
  );
}
