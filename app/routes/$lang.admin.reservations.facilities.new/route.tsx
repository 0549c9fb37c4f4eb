import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { FacilitySchema } from '../../reservations/facility.schema.ts';
import { createFacility } from '../../reservations/facility.service.server.ts';
import { FacilityForm } from './facility-form.tsx';

export const handle: RouteHandle = {
  title: 'adminReservations:facility.newTitle',
  i18n: ['adminReservations'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'reservations:manage');
  return null;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const submission = parseWithZod(await request.formData(), { schema: FacilitySchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const id = await createFacility(context.db, clerkOf(staff, context.env), submission.value);
  return redirect(`/${params.lang}/admin/reservations/facilities/${id}?created=1`);
}

export default function NewFacility() {
  const { t } = useTranslation('adminReservations');
  const answer = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t('facility.newTitle')}</h1>
      <FacilityForm lastResult={answer?.result} submit={t('facility.create')} />
    </div>
  );
}
