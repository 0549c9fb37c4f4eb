import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorSummary, Field, Notice } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { isPermission, permissions } from '../identity/permissions.ts';
import {
  ADMINISTRATORS_GROUP,
  createGroup,
  listGroups,
  setGroupPermissions,
} from '../identity/staff.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';

export const handle: RouteHandle = { title: 'adminStaff:groups.title' };

/** Messages are i18n keys in the `adminStaff` namespace. */
const CreateGroupSchema = z.object({
  name: z
    .string({ error: 'create.errors.nameRequired' })
    .trim()
    .min(1, 'create.errors.nameRequired')
    .max(100, 'create.errors.nameTooLong'),
  description: z.string().trim().max(200, 'create.errors.descriptionTooLong').default(''),
});

/** Names are data in whatever language they were typed: mark Japanese or Latin text as such. */
const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? 'ja'
    : /[A-Za-z]/.test(text)
      ? 'en'
      : undefined;

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
  const audit = (
    action: string,
    outcome: 'success' | 'denied',
    targetId: string,
    details: Record<string, unknown>,
  ) =>
    recordAudit(context.db, {
      ...staff.actor,
      action,
      targetType: 'staff_group',
      targetId,
      outcome,
      ip: context.clientIp,
      details,
    });

  if (form.get('intent') === 'permissions') {
    const groupId = String(form.get('groupId') ?? '');
    const granted = form.getAll('permission').map(String);
    if (!granted.every(isPermission)) throw new Response('Bad Request', { status: 400 });
    const result = await setGroupPermissions(context.db, groupId, granted);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'protected') {
      await audit('staff.group_permissions', 'denied', groupId, { reason: 'keeps_staff_manage' });
      return data(
        { intent: 'permissions' as const, error: 'protected' as const, name: result.name },
        { status: 409 },
      );
    }
    await audit('staff.group_permissions', 'success', groupId, {
      added: result.added,
      removed: result.removed,
    });
    return { intent: 'permissions' as const, done: true as const, name: result.name };
  }

  if (form.get('intent') !== 'create') return data({ intent: 'unknown' as const }, { status: 400 });
  const submission = parseWithZod(form, { schema: CreateGroupSchema });
  if (submission.status !== 'success')
    return data({ intent: 'create' as const, result: submission.reply() }, { status: 400 });
  const created = await createGroup(context.db, submission.value);
  if (created.outcome === 'name_taken')
    return data(
      {
        intent: 'create' as const,
        result: submission.reply({ fieldErrors: { name: ['create.errors.nameTaken'] } }),
      },
      { status: 409 },
    );
  await audit('staff.group_create', 'success', created.id, {
    name: submission.value.name,
    description: submission.value.description,
  });
  return {
    intent: 'create' as const,
    result: submission.reply({ resetForm: true }),
    created: submission.value.name,
  };
}

export default function GroupsPage() {
  const { t } = useTranslation('adminStaff');
  const { t: tAdmin } = useTranslation('admin');
  const { groups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Permission codes contain ':', i18next's namespace separator: look them up literally.
  const label = (p: string) => tAdmin(`permission.${p}`, { nsSeparator: false });
  const notice =
    result && 'done' in result
      ? t('groups.saved', { name: result.name })
      : result && 'created' in result
        ? t('create.done', { name: result.created })
        : null;

  return (
    <div className="page">
      <h1>{t('groups.title')}</h1>
      <p>{t('groups.lead')}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      {result && 'error' in result ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{t('groups.protected', { name: result.name })}</p>
        </div>
      ) : null}

      {groups.length === 0 ? (
        <p>{t('groups.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t('groups.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.group')}</th>
                {permissions.map((p) => (
                  <th scope="col" key={p}>
                    {label(p)}{' '}
                    <code lang="en" translate="no">
                      {p}
                    </code>
                  </th>
                ))}
                <th scope="col">{t('groups.save')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => {
                const formId = `group-${g.id}`;
                return (
                  // A new key after each save: the boxes start again from what was stored.
                  <tr key={`${g.id}:${g.permissions.join(',')}`}>
                    <th scope="row">
                      <span lang={langOf(g.name)}>{g.name}</span>
                      {g.description ? (
                        <div className="field__hint" lang={langOf(g.description)}>
                          {g.description}
                        </div>
                      ) : null}
                    </th>
                    {permissions.map((p) => {
                      const locked = g.administrators && p === 'staff:manage';
                      return (
                        <td key={p}>
                          <input
                            type="checkbox"
                            form={formId}
                            name="permission"
                            value={p}
                            defaultChecked={locked || g.permissions.includes(p)}
                            disabled={locked}
                            aria-label={t('groups.checkboxLabel', {
                              group: g.name,
                              permission: label(p),
                            })}
                            aria-describedby={locked ? 'protected-note' : undefined}
                          />
                          {locked ? (
                            <input type="hidden" form={formId} name="permission" value={p} />
                          ) : null}
                        </td>
                      );
                    })}
                    <td>
                      <Form method="post" id={formId}>
                        <input type="hidden" name="intent" value="permissions" />
                        <input type="hidden" name="groupId" value={g.id} />
                        <button
                          type="submit"
                          className="button button--secondary"
                          aria-label={t('groups.saveLabel', { name: g.name })}
                        >
                          {t('groups.save')}
                        </button>
                      </Form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {groups.some((g) => g.administrators) ? (
        <p id="protected-note" className="hint">
          {t('groups.protectedNote')}
        </p>
      ) : null}

      <CreateGroupForm />
    </div>
  );
}

function CreateGroupForm() {
  const { t } = useTranslation('adminStaff');
  const result = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'create-group',
    lastResult: result?.intent === 'create' ? result.result : undefined,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateGroupSchema }),
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      [fields.name, 'create.name'],
      [fields.description, 'create.description'],
    ] as const
  )
    .filter(([field]) => field.errors?.length)
    .map(([field, label]) => ({
      id: field.id,
      label: t(label),
      message: message(field.errors) ?? '',
    }));

  return (
    <>
      <h2>{t('create.title')}</h2>
      <p>{t('create.lead')}</p>
      <Form method="post" {...getFormProps(form)} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="create" />
        <Field
          id={fields.name.id}
          label={t('create.name')}
          error={message(fields.name.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.name, { type: 'text' })}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.description.id}
          label={t('create.description')}
          hint={t('create.descriptionHint')}
          error={message(fields.description.errors)}
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.description)}
              rows={3}
              cols={40}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('create.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
