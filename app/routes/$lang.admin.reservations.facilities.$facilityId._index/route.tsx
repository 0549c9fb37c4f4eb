import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import {
  FacilitySchema,
  HoursSchema,
  facilityIdParam,
} from '../../reservations/facility.schema.ts';
import {
  archiveFacility,
  editFacility,
  facilityDetail,
  setHours,
  uploadMap,
} from '../../reservations/facility.service.server.ts';
import { MAP_MAX_BYTES } from '../../reservations/facility.ts';
import { FacilityForm } from '../$lang.admin.reservations.facilities.new/facility-form.tsx';
import { HoursForm, MapForm } from './panels.tsx';

export const handle: RouteHandle = {
  title: 'adminReservations:facility.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const { municipalityCode } = clerkOf(staff, context.env);
  const facility = await facilityDetail(
    context.db,
    municipalityCode,
    facilityIdParam(params.facilityId),
  );
  if (!facility) throw new Response('Not found', { status: 404 });
  const created = new URL(request.url).searchParams.has('created');
  return { facility, created, title: facility.nameJa };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const clerk = clerkOf(staff, context.env);
  const id = facilityIdParam(params.facilityId);
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAP_MAX_BYTES + 64 * 1024)
    return data(
      { intent: 'map', result: null, error: 'errors.tooLarge', done: null, at: Date.now() },
      { status: 413 },
    );
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const answer = (status: number, extra: { result?: unknown; error?: string; done?: string }) =>
    data({ intent, result: null, error: null, done: null, at: Date.now(), ...extra }, { status });
  if (intent === 'details') {
    const submission = parseWithZod(form, { schema: FacilitySchema });
    if (submission.status !== 'success') return answer(400, { result: submission.reply() });
    if (!(await editFacility(context.db, clerk, id, submission.value)))
      throw new Response('Not found', { status: 404 });
    return answer(200, { result: submission.reply(), done: 'facility.saved' });
  }
  if (intent === 'hours') {
    const submission = parseWithZod(form, { schema: HoursSchema });
    if (submission.status !== 'success') return answer(400, { result: submission.reply() });
    await setHours(context.db, clerk, id, submission.value);
    return answer(200, { result: submission.reply(), done: 'hours.saved' });
  }
  if (intent === 'map' || intent === 'removeMap') {
    const file = form.get('map');
    const bytes =
      intent === 'removeMap'
        ? null
        : file instanceof File && file.size > 0
          ? new Uint8Array(await file.arrayBuffer())
          : undefined;
    if (bytes === undefined) return answer(400, { error: 'errors.noFile' });
    const outcome = await uploadMap(context.db, clerk, id, bytes);
    if (outcome.outcome === 'too_large') return answer(400, { error: 'errors.tooLarge' });
    if (outcome.outcome === 'not_an_image') return answer(400, { error: 'errors.notAnImage' });
    return answer(200, { done: outcome.outcome === 'saved' ? 'map.saved' : 'map.removed' });
  }
  if (intent === 'archive' || intent === 'restore') {
    await archiveFacility(context.db, clerk, id, intent === 'archive');
    return answer(200, {});
  }
  return answer(400, {});
}

export default function FacilityPage() {
  const { t, i18n } = useTranslation('adminReservations');
  const { lang } = useParams();
  const { facility, created } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const name = i18n.language === 'en' ? facility.nameEn : facility.nameJa;
  const result = (intent: string) =>
    answer?.intent === intent ? (answer.result as never) : undefined;
  return (
    <div className="page">
      <h1>{name}</h1>
      {created ? <Notice>{t('facility.created')}</Notice> : null}
      {answer?.done ? <Notice focusKey={answer.at}>{t(answer.done)}</Notice> : null}
      {facility.archivedAt ? <Notice tone="warning">{t('facility.archivedNotice')}</Notice> : null}
      <p>
        <Link to={`/${lang}/admin/reservations/facilities/${facility.id}/weeks`}>
          {t('facility.weeksLink')}
        </Link>
      </p>
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t('facility.title')}</h2>
        <FacilityForm
          lastResult={result('details')}
          defaultValue={{
            nameJa: facility.nameJa,
            nameEn: facility.nameEn,
            addressJa: facility.addressJa,
            addressEn: facility.addressEn,
            phone: facility.phone,
            directionsJa: facility.directionsJa,
            directionsEn: facility.directionsEn,
            kinds: facility.kinds,
            slotMinutes: String(facility.slotMinutes),
            placesPerSlot: String(facility.placesPerSlot),
          }}
          submit={t('facility.save')}
        />
      </section>
      <HoursForm hours={facility.hours} lastResult={result('hours')} />
      <MapForm
        facilityId={facility.id}
        name={name}
        hasMap={facility.mapContentType !== null}
        error={answer?.intent === 'map' && answer.error ? t(answer.error) : undefined}
      />
      <Form method="post">
        <input type="hidden" name="intent" value={facility.archivedAt ? 'restore' : 'archive'} />
        <button type="submit" className="button">
          {facility.archivedAt ? t('facility.restore') : t('facility.archive')}
        </button>
      </Form>
    </div>
  );
}
