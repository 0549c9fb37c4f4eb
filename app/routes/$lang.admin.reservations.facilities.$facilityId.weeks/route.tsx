import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { SlotSchema, WeekSchema, facilityIdParam } from '../../reservations/facility.schema.ts';
import { facilityDetail } from '../../reservations/facility.service.server.ts';
import { bookingMailerOf } from '../../reservations/booking-mail.server.ts';
import {
  changeSlotPlaces,
  closeSlot,
  facilityWeeks,
  generateWeek,
  publishWeek,
  unpublishWeek,
  weekSlots,
} from '../../reservations/calendar.service.server.ts';
import { SlotTable } from './slot-table.tsx';

export const handle: RouteHandle = {
  title: 'adminReservations:weeks.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const code = clerkOf(staff, context.env).municipalityCode;
  const facility = await facilityDetail(context.db, code, facilityIdParam(params.facilityId));
  if (!facility) throw new Response('Not found', { status: 404 });
  const weeks = await facilityWeeks(context.db, code, facility.id);
  const asked = new URL(request.url).searchParams.get('week');
  const week = weeks.find((w) => w.weekStart === asked)?.weekStart ?? null;
  const slots = week ? await weekSlots(context.db, code, facility.id, week) : [];
  return {
    facility: { id: facility.id, nameJa: facility.nameJa, nameEn: facility.nameEn },
    weeks,
    week,
    slots,
  };
}

type Answer = {
  notice?: { key: string; values: Record<string, string | number> };
  warning?: { key: string; values: Record<string, string | number> };
  slotId?: string;
  field?: 'capacity' | 'message';
  error?: { key: string; values: Record<string, string | number> };
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const clerk = clerkOf(staff, context.env);
  const facilityId = facilityIdParam(params.facilityId);
  const form = await request.formData();
  const reply = (status: number, answer: Answer) => data({ ...answer, at: Date.now() }, { status });
  const slot = parseWithZod(form, { schema: SlotSchema });
  if (slot.status === 'success') {
    const v = slot.value;
    if (v.intent === 'places') {
      const outcome = await changeSlotPlaces(context.db, clerk, v.slotId, v.capacity);
      if (outcome.outcome === 'below_taken')
        return reply(409, {
          slotId: v.slotId,
          field: 'capacity',
          error: { key: 'weeks.belowTaken', values: { taken: outcome.taken } },
        });
      return reply(200, { notice: { key: 'weeks.placesSaved', values: {} } });
    }
    const outcome = await closeSlot(
      context.db,
      clerk,
      v.slotId,
      v.message,
      bookingMailerOf(context),
    );
    if (outcome.outcome === 'needs_message')
      return reply(409, {
        slotId: v.slotId,
        field: 'message',
        error: { key: 'weeks.needsMessage', values: { count: outcome.bookings } },
      });
    if (outcome.outcome === 'closed')
      return reply(200, {
        notice: { key: 'weeks.closedNotice', values: { count: outcome.cancelled } },
      });
    return reply(200, {});
  }
  if (form.get('intent') === 'places' || form.get('intent') === 'close')
    return reply(400, {
      slotId: String(form.get('slotId')),
      field: 'capacity',
      error: { key: 'errors.range', values: {} },
    });
  const week = parseWithZod(form, { schema: WeekSchema });
  if (week.status !== 'success') return reply(400, {});
  const { intent, week: weekStart } = week.value;
  if (intent === 'generate') {
    const outcome = await generateWeek(context.db, clerk, facilityId, weekStart);
    return reply(
      200,
      outcome.outcome === 'generated'
        ? { notice: { key: 'weeks.generated', values: { count: outcome.added } } }
        : {},
    );
  }
  if (intent === 'publish') {
    await publishWeek(context.db, clerk, facilityId, weekStart);
    return reply(200, { notice: { key: 'weeks.publishedNotice', values: { week: weekStart } } });
  }
  const outcome = await unpublishWeek(context.db, clerk, facilityId, weekStart);
  if (outcome.outcome === 'has_bookings')
    return reply(409, {
      warning: { key: 'weeks.hasBookings', values: { count: outcome.bookings } },
    });
  if (outcome.outcome === 'not_published')
    return reply(409, { warning: { key: 'weeks.notPublished', values: {} } });
  return reply(200, { notice: { key: 'weeks.unpublished', values: { week: weekStart } } });
}

export default function Weeks() {
  const { t, i18n } = useTranslation('adminReservations');
  const { lang } = useParams();
  const { facility, weeks, week, slots } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const base = `/${lang}/admin/reservations/facilities/${facility.id}`;
  return (
    <div className="page">
      <h1>
        {t('weeks.title')}: {i18n.language === 'en' ? facility.nameEn : facility.nameJa}
      </h1>
      <p>{t('weeks.lead')}</p>
      <p>
        <Link to={base}>{t('facility.title')}</Link>
      </p>
      {answer?.notice ? (
        <Notice focusKey={answer.at}>{t(answer.notice.key, answer.notice.values)}</Notice>
      ) : null}
      {answer?.warning ? (
        <Notice tone="warning" focusKey={answer.at}>
          {t(answer.warning.key, answer.warning.values)}
        </Notice>
      ) : null}
      <TableRegion label={t('weeks.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('weeks.week')}</th>
              <th scope="col">{t('weeks.slots')}</th>
              <th scope="col">{t('weeks.places')}</th>
              <th scope="col">{t('weeks.published')}</th>
              <th scope="col">{t('weeks.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.weekStart}>
                <th scope="row">{w.weekStart}</th>
                <td>{w.slots}</td>
                <td>
                  {w.taken} / {w.capacity}
                </td>
                <td>{w.published ? t('weeks.yes') : t('weeks.no')}</td>
                <td>
                  <Form method="post" className="button-row button-row--inline">
                    <input type="hidden" name="week" value={w.weekStart} />
                    <button
                      type="submit"
                      name="intent"
                      value="generate"
                      className="button"
                      aria-label={`${t('weeks.generate')} ${w.weekStart}`}
                    >
                      {t('weeks.generate')}
                    </button>
                    {w.published ? (
                      <button
                        type="submit"
                        name="intent"
                        value="unpublish"
                        className="button"
                        aria-label={`${t('weeks.unpublish')} ${w.weekStart}`}
                      >
                        {t('weeks.unpublish')}
                      </button>
                    ) : (
                      <button
                        type="submit"
                        name="intent"
                        value="publish"
                        className="button button--primary"
                        aria-label={`${t('weeks.publish')} ${w.weekStart}`}
                      >
                        {t('weeks.publish')}
                      </button>
                    )}
                    <Link
                      to={`?week=${w.weekStart}`}
                      aria-label={`${t('weeks.show')} ${w.weekStart}`}
                    >
                      {t('weeks.show')}
                    </Link>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {week ? <SlotTable week={week} slots={slots} answer={answer} /> : null}
    </div>
  );
}
