import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from 'react-i18next';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Field, Notice } from '../ui/form.tsx';
import { PersonName } from '../ui/layout.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { ClientSchema } from '../api/client.schema.ts';
import { listClients, registerClient } from '../api/link.service.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';

export const handle: RouteHandle = { title: 'api:clients.title' };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'clients:manage');
  const clients = await listClients(context.db);
  return {
    clients: clients.map((c) => ({
      id: c.id,
      name: c.name,
      redirectUris: c.redirectUris,
      links: c.liveLinks,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'clients:manage');
  const submission = parseWithZod(await request.formData(), { schema: ClientSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), saved: null }, { status: 400 });
  await registerClient(context.db, { ...submission.value, createdBy: staff.session.accountId });
  await recordAudit(context.db, {
    ...staff.actor,
    action: 'app.client_register',
    targetType: 'app_client',
    targetId: submission.value.id,
    outcome: 'success',
    ip: context.clientIp,
    details: { redirectUris: submission.value.redirectUris },
  });
  return { result: submission.reply({ resetForm: true }), saved: submission.value.id };
}

export default function Clients() {
  const { t } = useTranslation('api');
  const { clients } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ClientSchema }),
  });
  const msg = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      ['id', fields.id],
      ['name', fields.name],
      ['redirectUris', fields.redirectUris],
    ] as const
  )
    .filter(([, f]) => f.errors)
    .map(([key, f]) => ({ id: f.id, label: t(`clients.${key}`), message: msg(f.errors) ?? '' }));
  return (
    <div className="page">
      <h1>{t('clients.title')}</h1>
      {actionData?.saved ? <Notice>{t('clients.saved', { id: actionData.saved })}</Notice> : null}
      <div className="table-wrap">
        <table>
          <caption>{t('clients.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('clients.id')}</th>
              <th scope="col">{t('clients.name')}</th>
              <th scope="col">{t('clients.redirectUris')}</th>
              <th scope="col">{t('clients.links')}</th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <code lang="en" translate="no">
                    {c.id}
                  </code>
                </th>
                <td>
                  <PersonName name={c.name} />
                </td>
                <td>
                  {c.redirectUris.map((u) => (
                    <div key={u}>
                      <code lang="en" translate="no">
                        {u}
                      </code>
                    </div>
                  ))}
                </td>
                <td>{c.links}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('clients.add')}</h2>
      <Form method="post" {...getFormProps(form)} className="form">
        <ErrorSummary errors={summary} />
        <Field
          id={fields.id.id}
          label={t('clients.id')}
          hint={t('clients.idHint')}
          error={msg(fields.id.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.id, { type: 'text' })}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.name.id}
          label={t('clients.name')}
          error={msg(fields.name.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.name, { type: 'text' })}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.redirectUris.id}
          label={t('clients.redirectUris')}
          hint={t('clients.redirectUrisHint')}
          error={msg(fields.redirectUris.errors)}
          required
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.redirectUris)}
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('clients.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
