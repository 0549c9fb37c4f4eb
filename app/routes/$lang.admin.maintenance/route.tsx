import type { z } from 'zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDateTime, isoInstant, toTokyoDateTimeLocal } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import {
  MaintenanceFormSchema,
  MESSAGE_MAX,
  type ScheduleSchema,
} from '../../maintenance/maintenance.schema.ts';
import {
  cancelMaintenance,
  recentMaintenance,
  scheduleMaintenance,
} from '../../maintenance/maintenance.service.server.ts';

export const handle: RouteHandle = {
  title: 'adminMaintenance:title',
  i18n: ['adminMaintenance'],
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'maintenance:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const windows = await recentMaintenance(context.db);
  return {
    now: toTokyoDateTimeLocal(now),
    windows: windows.map((w) => ({
      id: w.id,
      startsAt: isoInstant(w.startsAt),
      endsAt: isoInstant(w.endsAt),
      from: formatDateTime(w.startsAt, locale),
      to: formatDateTime(w.endsAt, locale),
      messageJa: w.messageJa,
      messageEn: w.messageEn,
      state: w.cancelledAt
        ? 'cancelled'
        : w.endsAt <= now
          ? 'over'
          : w.startsAt <= now
            ? 'active'
            : 'planned',
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'maintenance:manage');
  const actor = { ...staff.actor, actorId: staff.session.accountId };
  const submission = parseWithZod(await request.formData(), { schema: MaintenanceFormSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), done: null, at: Date.now() }, { status: 400 });
  if (submission.value.intent === 'cancel') {
    const cancelled = await cancelMaintenance(context.db, actor, submission.value.id);
    return data(
      { result: null, done: cancelled ? 'cancelled' : 'notCancelled', at: Date.now() },
      { status: cancelled ? 200 : 409 },
    );
  }
  const { intent: _intent, ...window } = submission.value;
  await scheduleMaintenance(context.db, actor, window);
  return { result: submission.reply({ resetForm: true }), done: 'scheduled', at: Date.now() };
}

const FIELDS = {
  startsAt: 'field.startsAt',
  endsAt: 'field.endsAt',
  messageJa: 'field.messageJa',
  messageEn: 'field.messageEn',
} as const;

export default function Maintenance() {
  const { t } = useTranslation('adminMaintenance');
  const { lang } = useParams();
  const { now, windows } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof ScheduleSchema>>({
    id: 'maintenance',
    lastResult: answer?.result,
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const names = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
  const summary = names.flatMap((name) => {
    const message = errorOf(fields[name].errors);
    return message ? [{ id: fields[name].id, label: t(FIELDS[name]), message }] : [];
  });
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      {answer?.done ? (
        <Notice tone={answer.done === 'notCancelled' ? 'warning' : 'success'} focusKey={answer.at}>
          {t(`done.${answer.done}`)}
        </Notice>
      ) : null}
      <h2 id="schedule-heading">{t('schedule')}</h2>
      <Form
        method="post"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
        aria-labelledby="schedule-heading"
      >
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="schedule" />
        {(['startsAt', 'endsAt'] as const).map((name) => (
          <Field
            key={name}
            id={fields[name].id}
            label={t(FIELDS[name])}
            hint={t('field.timeHint')}
            error={errorOf(fields[name].errors)}
            required
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields[name], { type: 'datetime-local', ariaAttributes: false })}
                min={now}
                required
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        ))}
        {(['messageJa', 'messageEn'] as const).map((name) => (
          <Field
            key={name}
            id={fields[name].id}
            label={t(FIELDS[name])}
            hint={t('field.messageHint', { max: MESSAGE_MAX })}
            error={errorOf(fields[name].errors)}
          >
            {(describedBy, invalid) => (
              <textarea
                {...getTextareaProps(fields[name], { ariaAttributes: false })}
                lang={name === 'messageJa' ? 'ja' : 'en'}
                rows={3}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        ))}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('submit')}
          </button>
        </div>
      </Form>
      <section aria-labelledby="windows-caption">
        {windows.length === 0 ? (
          <>
            <h2 id="windows-caption">{t('caption')}</h2>
            <p>{t('none')}</p>
          </>
        ) : (
          <TableRegion labelledBy="windows-caption">
            <table>
              <caption id="windows-caption">{t('caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('column.when')}</th>
                  <th scope="col">{t('column.state')}</th>
                  <th scope="col">{t('column.message')}</th>
                  <th scope="col">{t('column.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {windows.map((w) => (
                  <tr key={w.id}>
                    <th scope="row">
                      <time dateTime={w.startsAt}>{w.from}</time>
                      {t('rangeJoin')}
                      <time dateTime={w.endsAt}>{w.to}</time>
                    </th>
                    <td>{t(`state.${w.state}`)}</td>
                    <td>
                      <span lang="ja">{w.messageJa}</span>
                      {w.messageJa && w.messageEn ? <br /> : null}
                      <span lang="en">{w.messageEn}</span>
                    </td>
                    <td>
                      <Link to={`/${lang}/admin/maintenance/${w.id}`} reloadDocument>
                        {t('preview', { when: w.from })}
                      </Link>
                      {w.state === 'planned' || w.state === 'active' ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="id" value={w.id} />
                          <button
                            type="submit"
                            className="button"
                            aria-label={t('cancelWindow', { when: w.from })}
                          >
                            {t('cancel')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
    </div>
  );
}
