import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import { Notice } from '../../ui/form.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { isPermission } from '../../identity/permissions.ts';
import {
  ADMINISTRATORS_GROUP,
  createGroup,
  listGroups,
  setGroupPermissions,
} from '../../identity/staff-groups.service.server.ts';
import { CreateGroupSchema } from '../../identity/staff.schema.ts';
import { CreateGroupForm } from './create-group-form.tsx';
import { GroupMatrix } from './group-matrix.tsx';

export const handle: RouteHandle = { title: 'adminStaff:groups.title', i18n: ['adminStaff'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'staff:manage');
  const groups = await listGroups(context.db);
  return {
    groups: groups.map((g) => ({
      ...g,
      administrators: g.name === ADMINISTRATORS_GROUP,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage');
  const form = await request.formData();
  if (form.get('intent') === 'permissions') {
    const groupId = String(form.get('groupId') ?? '');
    const granted = form.getAll('permission').map(String);
    if (!granted.every(isPermission)) throw new Response('Bad Request', { status: 400 });
    const result = await setGroupPermissions(context.db, staff.actor, groupId, granted);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'protected') {
      return data(
        { intent: 'permissions' as const, error: 'protected' as const, name: result.name },
        { status: 409 },
      );
    }
    return { intent: 'permissions' as const, done: true as const, name: result.name };
  }

  if (form.get('intent') !== 'create') return data({ intent: 'unknown' as const }, { status: 400 });
  const submission = parseWithZod(form, { schema: CreateGroupSchema });
  if (submission.status !== 'success')
    return data({ intent: 'create' as const, result: submission.reply() }, { status: 400 });
  const created = await createGroup(context.db, staff.actor, submission.value);
  if (created.outcome === 'name_taken')
    return data(
      {
        intent: 'create' as const,
        result: submission.reply({ fieldErrors: { name: ['create.errors.nameTaken'] } }),
      },
      { status: 409 },
    );
  return {
    intent: 'create' as const,
    result: submission.reply({ resetForm: true }),
    created: submission.value.name,
  };
}

export default function GroupsPage() {
  const { t } = useTranslation('adminStaff');
  const result = useActionData<typeof action>();
  const notice =
    result && 'done' in result
      ? t('groups.saved', { name: result.name })
      : result && 'created' in result
        ? t('create.done', { name: result.created })
        : null;
  const refusal = useFocusOnChange<HTMLDivElement>(result && 'error' in result ? result : null);

  return (
    <div className="page">
      <h1>{t('groups.title')}</h1>
      <p>{t('groups.lead')}</p>
      {/* The answer appears at the top, far from the button pressed: continue there. */}
      {notice ? <Notice focusKey={result}>{notice}</Notice> : null}
      {result && 'error' in result ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={refusal}>
          <p>{t('groups.protected', { name: result.name })}</p>
        </div>
      ) : null}

      <GroupMatrix />

      <CreateGroupForm />
    </div>
  );
}
