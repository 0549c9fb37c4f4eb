import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { AddRenewalSchema } from '../../targets/renewal.schema.ts';
import { addRenewalByHand } from '../../targets/renewal.service.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { AddRenewalForm } from './form.tsx';

export const handle: RouteHandle = { title: 'adminRenewals:add.title', i18n: ['adminRenewals'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'renewals:manage');
  return null;
}

/** A person who moved in: checked as a line of the list is, and added once. */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const submission = parseWithZod(await request.formData(), { schema: AddRenewalSchema });
  if (submission.status !== 'success')
    return data(
      { result: submission.reply(), duplicateId: null, addedId: null, at: Date.now() },
      { status: 400 },
    );
  const clerk = clerkOf(staff, context.env);
  const added = await addRenewalByHand(
    context.db,
    clerk.actor,
    clerk.municipalityCode,
    submission.value,
  );
  if (added.outcome === 'duplicate')
    return data(
      {
        result: submission.reply({ formErrors: ['add.duplicate'] }),
        duplicateId: added.id,
        addedId: null,
        at: Date.now(),
      },
      { status: 409 },
    );
  // The page stays (ready for the next person); the notice links to the new record.
  return {
    result: submission.reply({ resetForm: true }),
    duplicateId: null,
    addedId: added.id,
    at: Date.now(),
  };
}

export default function AddRenewal() {
  return <AddRenewalForm />;
}
