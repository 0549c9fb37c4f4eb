import type { z } from 'zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { addDays, tokyoDate } from '../../i18n/dates.ts';
import { type AddClosedDaySchema, ClosedDaySchema } from '../../reservations/facility.schema.ts';
import {
  addClosedDay,
  closedDays,
  removeClosedDay,
} from '../../reservations/facility.service.server.ts';
import { nationalHolidaysBetween } from '../../reservations/working-days.server.ts';

export const handle: RouteHandle = {
  title: 'adminReservations:closedDays.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const today = tokyoDate(new Date());
  return {
    days: await closedDays(context.db, clerkOf(staff, context.env).municipalityCode),
    holidays: nationalHolidaysBetween(today, addDays(today, 365)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const clerk = clerkOf(staff, context.env);
  const submission = parseWithZod(await request.formData(), { schema: ClosedDaySchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), done: null, at: Date.now() }, { status: 400 });
  if (submission.value.intent === 'remove') {
    await removeClosedDay(context.db, clerk, submission.value.day);
    return { result: null, done: 'closedDays.removedNotice', at: Date.now() };
  }
  if (!(await addClosedDay(context.db, clerk, submission.value)))
    return data(
      {
        result: submission.reply({ fieldErrors: { day: ['closedDays.exists'] } }),
        done: null,
        at: Date.now(),
      },
      { status: 409 },
    );
  return {
    result: submission.reply({ resetForm: true }),
    done: 'closedDays.added',
    at: Date.now(),
  };
}

export default function ClosedDays() {
  const { t, i18n } = useTranslation('adminReservations');
  const { days, holidays } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const en = i18n.language === 'en';
  const [form, fields] = useForm<z.input<typeof AddClosedDaySchema>>({
    id: 'closed-day',
    lastResult: answer?.result,
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const named = {
    day: 'closedDays.day',
    reasonJa: 'closedDays.reasonJa',
    reasonEn: 'closedDays.reasonEn',
  } as const;
  const summary = (Object.keys(named) as (keyof typeof named)[]).flatMap((name) => {
    const message = errorOf(fields[name].errors);
    return message ? [{ id: fields[name].id, label: t(named[name]), message }] : [];
  });
  return (
    <div className="page">
      <h1>{t('closedDays.title')}</h1>
      <p>{t('closedDays.lead')}</p>
      {answer?.done ? <Notice focusKey={answer.at}>{t(answer.done)}</Notice> : null}
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="add" />
        {(Object.keys(named) as (keyof typeof named)[]).map((name) => (
          <Field
            key={name}
            id={fields[name].id}
            label={t(named[name])}
            hint={name === 'day' ? t('closedDays.dayHint') : undefined}
            error={errorOf(fields[name].errors)}
            required={name === 'day'}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields[name], { type: 'text', ariaAttributes: false })}
                required={name === 'day'}
                autoComplete="off"
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        ))}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('closedDays.add')}
          </button>
        </div>
      </Form>
      {days.length === 0 ? (
        <p>{t('closedDays.none')}</p>
      ) : (
        <ul>
          {days.map((d) => (
            <li key={d.day}>
              <Form method="post">
                {d.day} {en ? d.reasonEn : d.reasonJa}{' '}
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="day" value={d.day} />
                <button
                  type="submit"
                  className="button"
                  aria-label={t('closedDays.removeDay', { day: d.day })}
                >
                  {t('closedDays.remove')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('closedDays.holidays')}</h2>
      <ul>
        {holidays.map((h) => (
          <li key={h.day}>
            {h.day} {en ? h.nameEn : h.nameJa}
          </li>
        ))}
      </ul>
    </div>
  );
}
