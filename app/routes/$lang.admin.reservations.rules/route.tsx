import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { RuleSchema } from '../../reservations/facility.schema.ts';
import { rulesForStaff, saveRules } from '../../reservations/calendar.service.server.ts';
import { RulesForm } from './rules-form.tsx';

export const handle: RouteHandle = {
  title: 'adminReservations:rules.title',
  i18n: ['adminReservations'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const code = clerkOf(staff, context.env).municipalityCode;
  return { rules: await rulesForStaff(context.db, code) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:manage');
  const form = await request.formData();
  const kind = String(form.get('kind') ?? '');
  const submission = parseWithZod(form, { schema: RuleSchema });
  if (submission.status !== 'success')
    return data({ kind, result: submission.reply(), done: false, at: Date.now() }, { status: 400 });
  await saveRules(context.db, clerkOf(staff, context.env), submission.value);
  return { kind, result: submission.reply(), done: true, at: Date.now() };
}

export default function Rules() {
  const { t } = useTranslation('adminReservations');
  const { rules } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t('rules.title')}</h1>
      <p>{t('rules.lead')}</p>
      {answer?.done ? (
        <Notice focusKey={answer.at}>{t('rules.saved', { kind: t(`kind.${answer.kind}`) })}</Notice>
      ) : null}
      {rules.map((rule) => (
        <RulesForm
          // Saved rules (new questions got their ids) start the form afresh.
          key={`${rule.kind}:${JSON.stringify(rule)}`}
          rule={rule}
          lastResult={answer?.kind === rule.kind ? answer.result : undefined}
        />
      ))}
    </div>
  );
}
