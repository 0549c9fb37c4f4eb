import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { createTodosByStaff } from '../../todos/todo-bulk.server.ts';
import { audienceReport, checkAudienceUpload } from '../../notices/audience-csv.server.ts';
import { TodoFormSchema, type AudienceReport } from '../../notices/notice.schema.ts';
import { tokyoDate } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { TodoForm } from './form.tsx';

export const handle: RouteHandle = {
  title: 'adminNotices:todo.title',
  i18n: ['notices', 'adminNotices'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'todos:write');
  const created = Number(new URL(request.url).searchParams.get('created'));
  return {
    // A fresh key per page view: submitting this form twice creates every to-do once.
    idempotencyKey: crypto.randomUUID(),
    today: tokyoDate(new Date()),
    created: Number.isSafeInteger(created) && created > 0 ? created : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'todos:write');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: TodoFormSchema });

  // As on the notice form: the list is checked even when other fields need fixing.
  const file = form.get('audienceFile');
  const codes = form.get('audienceCodes');
  const check = await checkAudienceUpload(
    context.db,
    file instanceof File ? file : undefined,
    typeof codes === 'string' ? codes : undefined,
  );
  let report: AudienceReport | null = null;
  const fieldErrors: Record<string, string[]> = {};
  if (check && !check.ok) {
    report = audienceReport(check);
    fieldErrors.audienceFile = [
      check.fileError ? `csv.fileError.${check.fileError}` : 'errors.fileRows',
    ];
  }
  const carried = check?.ok ? { codes: check.codes.join('\n'), count: check.codes.length } : null;

  const hideFields = ['audienceCodes'];
  if (submission.status !== 'success' || !check?.ok) {
    return data(
      {
        result: submission.reply(
          Object.keys(fieldErrors).length > 0 ? { fieldErrors, hideFields } : { hideFields },
        ),
        report,
        carried,
      },
      { status: 400 },
    );
  }

  const value = submission.value;
  // A repeated submission creates nothing and records nothing.
  const { requested } = await createTodosByStaff(context.db, staff.actor, {
    residentIds: check.residentIds,
    titleJa: value.titleJa,
    titleEn: value.titleEn,
    descriptionJa: value.titleJa === null ? null : value.descriptionJa,
    descriptionEn: value.titleEn === null ? null : value.descriptionEn,
    dueDate: value.dueDate,
    actionUrl: value.actionUrl,
    createdBy: staff.session.accountId,
    idempotencyKey: value.idempotencyKey,
  });
  return redirect(`/${locale}/admin/todos/new?created=${requested}`);
}

export default function NewTodo() {
  return <TodoForm />;
}
