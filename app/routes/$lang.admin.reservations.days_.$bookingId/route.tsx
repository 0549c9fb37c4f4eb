import { bookingMailerOf } from '../../reservations/booking-mail.server.ts';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDate, tokyoDate } from '../../i18n/dates.ts';
import { isLocale, translator } from '../../i18n/locales.ts';
import { returnPath } from '../../platform/links.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { cancelBooking, changeBooking } from '../../reservations/booking.service.server.ts';
import { bookingDetail } from '../../reservations/staff-days.service.server.ts';
import { tokyoTime } from '../../reservations/staff-days.ts';
import { formatReservationId } from '../../reservations/booking.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { OneFieldForm } from './one-field-form.tsx';
import { RenewSection } from './renew-section.tsx';
import { renewFromBooking } from '../../reservations/renewal-booking.service.server.ts';
import { CancelSchema, MoveSchema } from '../$lang.admin.reservations.days/day.schema.ts';

export const handle: RouteHandle = {
  title: 'reservationDays:booking.title',
  i18n: ['reservationDays'],
};

const BookingId = z.uuid();

function dayListOf(lang: string, facilityId: string, startsAt: Date) {
  return `/${lang}/admin/reservations/days?date=${tokyoDate(startsAt)}&facility=${facilityId}`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = BookingId.safeParse(params.bookingId);
  const clerk = clerkOf(staff, context.env);
  const found = id.success
    ? await bookingDetail(context.db, clerk.municipalityCode, id.data)
    : undefined;
  if (!found) throw new Response('Not Found', { status: 404 });
  const { booking, members, candidates } = found;
  const back = returnPath(
    new URL(request.url).searchParams.get('back'),
    dayListOf(locale, booking.facilityId, booking.startsAt),
  );
  const t = translator(locale);
  const url = new URL(request.url);
  return {
    back,
    // An e-certificate renewal's people are marked renewed here by renewal staff (0055 addendum).
    renewal: booking.kind === 'cert_renewal' && staff.permissions.has('renewals:manage'),
    confirmRenew: url.searchParams.get('renew') === 'confirm',
    here: `${url.pathname}?back=${encodeURIComponent(back)}`,
    confirmHere: `${url.pathname}?back=${encodeURIComponent(back)}&renew=confirm#renew-title`,
    booking: {
      id: booking.id,
      cancelled: booking.status === 'cancelled',
      places: booking.places,
      when: `${formatDate(booking.startsAt, locale)} ${t('reservationDays:day.slotTitle', { from: tokyoTime(booking.startsAt), to: tokyoTime(booking.endsAt) })}`,
    },
    members: members.map((m) => ({
      name: m.name,
      reservationId: m.reservationId ? formatReservationId(m.reservationId) : '—',
    })),
    candidates: candidates.map((s) => ({
      id: s.id,
      label: `${formatDate(s.startsAt, locale)} ${t('reservationDays:day.slotTitle', { from: tokyoTime(s.startsAt), to: tokyoTime(s.endsAt) })} ${t('reservationDays:booking.left', { left: s.capacity - s.taken })}`,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = BookingId.safeParse(params.bookingId);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  const clerk = clerkOf(staff, context.env);
  const form = await request.formData();
  if (form.get('intent') === 'renew') {
    await requireStaff(request, context, 'renewals:manage');
    const done = await renewFromBooking(
      context.db,
      { ...clerk.actor, actorId: staff.session.accountId },
      clerk.municipalityCode,
      id.data,
    );
    if (done.outcome !== 'renewed') throw new Response('Not Found', { status: 404 });
    const at = Date.now();
    return {
      intent: 'renew' as const,
      renewed: done.renewed.length,
      notActive: done.notActive.length,
      at,
    };
  }
  const intent = form.get('intent') === 'cancel' ? 'cancel' : 'move';
  const found = await bookingDetail(context.db, clerk.municipalityCode, id.data);
  if (!found) throw new Response('Not Found', { status: 404 });
  const by = { staffId: clerk.actor.actorId };

  if (intent === 'cancel') {
    const submission = parseWithZod(form, { schema: CancelSchema });
    if (submission.status !== 'success')
      return data({ intent, result: submission.reply() }, { status: 400 });
    const done = await cancelBooking(
      context.db,
      clerk.actor,
      clerk.municipalityCode,
      id.data,
      { ...by, reason: submission.value.reason },
      new Date(),
      bookingMailerOf(context),
    );
    if (done.outcome === 'cancelled')
      throw redirect(
        `${dayListOf(locale, found.booking.facilityId, found.booking.startsAt)}&done=cancelled`,
      );
    return data(
      {
        intent,
        result: submission.reply({ fieldErrors: { reason: [`refusals.${done.outcome}`] } }),
      },
      { status: 409 },
    );
  }

  const submission = parseWithZod(form, { schema: MoveSchema });
  if (submission.status !== 'success')
    return data({ intent, result: submission.reply() }, { status: 400 });
  const moved = await changeBooking(
    context.db,
    clerk.actor,
    clerk.municipalityCode,
    id.data,
    submission.value.slotId,
    by,
    new Date(),
    bookingMailerOf(context),
  );
  if (moved.outcome === 'changed') {
    const target = found.candidates.find((s) => s.id === submission.value.slotId);
    throw redirect(
      `${dayListOf(locale, found.booking.facilityId, target?.startsAt ?? found.booking.startsAt)}&done=moved`,
    );
  }
  return data(
    {
      intent,
      result: submission.reply({ fieldErrors: { slotId: [`refusals.${moved.outcome}`] } }),
    },
    { status: 409 },
  );
}

export default function ChangeBooking() {
  const { t } = useTranslation('reservationDays');
  const { back, booking, members, candidates, renewal, confirmRenew, here, confirmHere } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const renewed = reply && 'renewed' in reply ? reply : null;
  const [moveForm, moveFields] = useForm<z.input<typeof MoveSchema>>({
    id: 'move',
    lastResult: reply && 'result' in reply && reply.intent === 'move' ? reply.result : undefined,
    shouldValidate: 'onSubmit',
  });
  const [cancelForm, cancelFields] = useForm<z.input<typeof CancelSchema>>({
    id: 'cancel',
    lastResult: reply && 'result' in reply && reply.intent === 'cancel' ? reply.result : undefined,
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) =>
    errors?.[0] ? t(errors[0], { left: 0, max: 0 }) : undefined;
  const moveError = message(moveFields.slotId.errors);
  const reasonError = message(cancelFields.reason.errors);
  return (
    <div className="page">
      <p>
        <Link to={back}>{t('day.back')}</Link>
      </p>
      <h1>{t('booking.title')}</h1>
      <dl>
        <dt>{t('booking.when')}</dt>
        <dd>{booking.when}</dd>
        <dt>{t('booking.people')}</dt>
        <dd>
          <ul>
            {members.map((m) => (
              <li key={m.reservationId}>
                <span lang="ja">{m.name}</span> ({m.reservationId})
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {renewal && !booking.cancelled ? (
        <RenewSection
          here={here}
          confirmHref={confirmHere}
          people={members.map((m) => m.name)}
          confirming={confirmRenew}
          done={renewed}
        />
      ) : null}
      {booking.cancelled ? (
        <p className="notice notice--info">{t('booking.cancelled')}</p>
      ) : (
        <>
          <section aria-labelledby="move-title">
            <h2 id="move-title">{t('booking.move')}</h2>
            <p>{t('booking.moveLead')}</p>
            {candidates.length === 0 ? (
              <p>{t('booking.noOtherSlots')}</p>
            ) : (
              <OneFieldForm
                form={moveForm}
                intent="move"
                bookingId={booking.id}
                fieldId={moveFields.slotId.id}
                label={t('booking.newSlot')}
                error={moveError}
                submit={t('booking.moveSubmit')}
              >
                {(describedBy, invalid) => (
                  <select
                    id={moveFields.slotId.id}
                    name={moveFields.slotId.name}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  >
                    {candidates.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                )}
              </OneFieldForm>
            )}
          </section>
          <section aria-labelledby="cancel-title">
            <h2 id="cancel-title">{t('booking.cancel')}</h2>
            <OneFieldForm
              form={cancelForm}
              intent="cancel"
              bookingId={booking.id}
              fieldId={cancelFields.reason.id}
              label={t('booking.reason')}
              hint={t('booking.reasonHint')}
              error={reasonError}
              submit={t('booking.cancelSubmit')}
              danger
            >
              {(describedBy, invalid) => (
                <textarea
                  {...getTextareaProps(cancelFields.reason, { ariaAttributes: false })}
                  rows={3}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </OneFieldForm>
          </section>
        </>
      )}
    </div>
  );
}
