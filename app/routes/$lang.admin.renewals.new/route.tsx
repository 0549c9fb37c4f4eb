import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { isLocale } from '../../i18n/locales.ts';
import { AddRenewalSchema } from '../../targets/renewal.schema.ts';
import { addRenewalByHand } from '../../targets/renewal.service.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { AddRenewalForm } from './form.tsx';

export const handle: RouteHandle = { title: 'adminRenewals:add.title', i18n: ['adminRenewals'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'renewals:manage');
  return null;
}

/** A person who moved in: checked as a line of the list is, added once, then their record. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const submission = parseWithZod(await request.formData(), { schema: AddRenewalSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), duplicateId: null }, { status: 400 });
  const clerk = clerkOf(staff);
  const added = await addRenewalByHand(
    context.db,
    clerk.actor,
    clerk.municipalityCode,
    submission.value,
  );
  if (added.outcome === 'duplicate')
    return data(
      { result: submission.reply({ formErrors: ['add.duplicate'] }), duplicateId: added.id },
      { status: 409 },
    );
  return redirect(`/${locale}/admin/renewals/${added.id}?added=1`);
}

export default function AddRenewal() {
  return <AddRenewalForm />;
}
