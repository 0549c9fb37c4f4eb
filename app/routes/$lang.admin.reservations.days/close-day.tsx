import type { z } from 'zod';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { getFormProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import type { CloseDaySchema } from './day.schema.ts';
import type { action, DayLoader } from './route.tsx';

/**
 * Closing the whole day shown (decision 0056): a link to a confirm step that says how many
 * slots, bookings and people it touches and who gets no mail, then the message and the
 * closing button. Without bookings the message is optional.
 */
export function CloseDay() {
  const { t } = useTranslation('reservationDays');
  const { lang } = useParams();
  const { slots, facility, day, dayText, closing } = useLoaderData<DayLoader>();
  const reply = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof CloseDaySchema>>({
    id: 'close-day',
    lastResult: reply?.intent === 'closeDay' ? reply.result : undefined,
    shouldValidate: 'onSubmit',
  });
  if (!facility || !slots.some((s) => !s.closed)) return null;
  const here = `/${lang}/admin/reservations/days?date=${day}&facility=${facility.id}`;
  if (!closing)
    return (
      <section aria-labelledby="close-day-title" className="screen-only">
        <h2 id="close-day-title">{t('closeDay.title')}</h2>
        <p>{t('closeDay.lead')}</p>
        <p>
          <Link to={`${here}&close=confirm#close-day-title`}>
            {t('closeDay.start', { date: dayText })}
          </Link>
        </p>
      </section>
    );
  const error = fields.message.errors?.[0] ? t(fields.message.errors[0]) : undefined;
  return (
    <section aria-labelledby="close-day-title" className="screen-only">
      <h2 id="close-day-title">{t('closeDay.confirmTitle', { date: dayText })}</h2>
      <ul>
        <li>{t('closeDay.slots', { count: closing.slots })}</li>
        <li>{t('closeDay.bookings', { count: closing.bookings, people: closing.people })}</li>
        {closing.bookings > 0 ? (
          <li>
            {t('closeDay.mails', { count: closing.bookings - closing.withoutEmail })}
            {closing.withoutEmail > 0
              ? ` ${t('closeDay.withoutEmail', { count: closing.withoutEmail })}`
              : null}
          </li>
        ) : null}
      </ul>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary
          errors={
            error ? [{ id: fields.message.id, label: t('closeDay.message'), message: error }] : []
          }
        />
        <input type="hidden" name="intent" value="closeDay" />
        <input type="hidden" name="facilityId" value={facility.id} />
        <input type="hidden" name="day" value={day} />
        <input type="hidden" name="expected" value={closing.bookings} />
        <Field
          id={fields.message.id}
          label={t('closeDay.message')}
          hint={t('closeDay.messageHint')}
          error={error}
          required={closing.bookings > 0}
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.message, { ariaAttributes: false })}
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {closing.bookings > 0
              ? t('closeDay.submitWithBookings', { count: closing.bookings })
              : t('closeDay.submit')}
          </button>
          <Link to={here}>{t('closeDay.keepOpen')}</Link>
        </div>
      </Form>
    </section>
  );
}
