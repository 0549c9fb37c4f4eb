import type { z } from 'zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { ClientSchema, ClientStateSchema } from '../../api/client.schema.server.ts';
import { listClients, saveClient, setClientDisabled } from '../../api/client.service.server.ts';
import { ClientsTable } from './clients-table.tsx';

export const handle: RouteHandle = { title: 'api:clients.title', i18n: ['api'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'clients:manage');
  const clients = await listClients(context.db);
  return {
    clients: clients.map((c) => ({
      id: c.id,
      name: c.name,
      redirectUris: c.redirectUris,
      links: Number(c.liveLinks ?? 0),
      disabled: c.disabledAt !== null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'clients:manage');
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'disable' || intent === 'enable') {
    // Disabling stops the client at once: no new links, no token exchange or refresh, and its
    // access tokens answer 401 client-disabled, and its links' push registrations stop (in the
    // same transaction). Its links are kept for when it is enabled again.
    const parsed = ClientStateSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw new Response('Bad Request', { status: 400 });
    const { clientId } = parsed.data;
    await setClientDisabled(context.db, staff.actor, clientId, intent === 'disable');
    return { result: undefined, saved: null, changed: { id: clientId, intent } };
  }
  const submission = parseWithZod(formData, { schema: ClientSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), saved: null, changed: null }, { status: 400 });
  await saveClient(context.db, staff.actor, {
    ...submission.value,
    createdBy: staff.session.accountId,
  });
  return {
    result: submission.reply({ resetForm: true }),
    saved: submission.value.id,
    changed: null,
  };
}

export default function Clients() {
  const { t } = useTranslation('api');
  const { clients } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof ClientSchema>>({
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
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
      {actionData?.saved ? (
        <Notice focusKey={actionData}>{t('clients.saved', { id: actionData.saved })}</Notice>
      ) : null}
      {actionData?.changed ? (
        <Notice focusKey={actionData}>
          {t(
            actionData.changed.intent === 'disable' ? 'clients.disabledNow' : 'clients.enabledNow',
            {
              id: actionData.changed.id,
            },
          )}
        </Notice>
      ) : null}
      <ClientsTable clients={clients} />
      <h2>{t('clients.add')}</h2>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
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
