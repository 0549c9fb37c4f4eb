import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useParams,
  useSearchParams,
} from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorSummary, Field, Notice } from '../ui/form.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import {
  disableStaff,
  INVITATION_HOURS,
  inviteStaff,
  listGroups,
  listStaffMembers,
  setMemberships,
} from '../identity/staff.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'adminStaff:staff.title' };

/** Messages are i18n keys in the `adminStaff` namespace. */
const InviteSchema = z.object({
  name: z
    .string({ error: 'invite.errors.nameRequired' })
    .trim()
    .min(1, 'invite.errors.nameRequired')
    .max(200, 'invite.errors.nameTooLong'),
  email: z
    .string({ error: 'invite.errors.emailRequired' })
    .trim()
    .max(254, 'invite.errors.emailFormat')
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'invite.errors.emailFormat'),
  groups: z
    .array(z.string(), { error: 'invite.errors.groupsRequired' })
    .min(1, 'invite.errors.groupsRequired'),
});

const MembershipsSchema = z.object({
  accountId: z.string().min(1),
  groups: z.preprocess((v) => (v === undefined ? [] : v), z.array(z.string())),
});

/** Names are data in whatever language they were typed: mark Japanese or Latin text as such. */
const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? 'ja'
    : /[A-Za-z]/.test(text)
      ? 'en'
      : undefined;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage');
  const [members, groups] = await Promise.all([
    listStaffMembers(context.db),
    listGroups(context.db),
  ]);
  return {
    me: staff.session.accountId,
    members,
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    // A server module's constant: the browser bundle only sees what the loader sends.
    invitationHours: INVITATION_HOURS,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();
  const intent = form.get('intent');
  const audit = (
    action: string,
    outcome: 'success' | 'denied',
    targetType: string,
    targetId: string | null,
    details: Record<string, unknown> = {},
  ) =>
    recordAudit(context.db, {
      ...staff.actor,
      action,
      targetType,
      targetId,
      outcome,
      ip: context.clientIp,
      details,
    });

  if (intent === 'memberships') {
    const intent = 'memberships' as const;
    const parsed = MembershipsSchema.safeParse(Object.fromEntries(entries(form)));
    if (!parsed.success) throw new Response('Bad Request', { status: 400 });
    const { accountId, groups } = parsed.data;
    const result = await setMemberships(context.db, accountId, groups);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'unknown_group')
      return data({ intent, error: 'unknownGroup' as const, accountId, name: '' }, { status: 409 });
    if (result.outcome === 'last_administrator') {
      await audit('staff.memberships', 'denied', 'account', accountId, {
        reason: 'last_administrator',
      });
      return data(
        { intent, error: 'lastAdministrator' as const, accountId, name: result.displayName },
        { status: 409 },
      );
    }
    await audit('staff.memberships', 'success', 'account', accountId, {
      added: result.added,
      removed: result.removed,
    });
    return { intent, done: true as const, name: result.displayName };
  }

  if (intent === 'disable') {
    const intent = 'disable' as const;
    const accountId = String(form.get('accountId') ?? '');
    const result = await disableStaff(context.db, accountId, staff.session);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'self' || result.outcome === 'last_administrator') {
      await audit('staff.disable', 'denied', 'account', accountId, { reason: result.outcome });
      return data(
        {
          intent,
          error: result.outcome === 'self' ? ('self' as const) : ('lastAdministrator' as const),
          accountId,
          name: 'displayName' in result ? result.displayName : '',
        },
        { status: 409 },
      );
    }
    await audit('staff.disable', 'success', 'account', accountId, { sessions: result.sessions });
    return { intent, done: true as const, name: result.displayName };
  }

  if (intent !== 'invite') return data({ intent: 'unknown' as const }, { status: 400 });
  const submission = parseWithZod(form, { schema: InviteSchema });
  if (submission.status !== 'success')
    return data(
      { intent: 'invite' as const, result: submission.reply(), invitation: null },
      { status: 400 },
    );
  const { name, email, groups } = submission.value;
  const created = await inviteStaff(context.db, {
    displayName: name,
    email,
    groupIds: groups,
    createdBy: staff.session.accountId,
  });
  if (created.outcome !== 'ok') {
    const fieldErrors: Record<string, string[]> =
      created.outcome === 'email_taken'
        ? { email: ['invite.errors.emailTaken'] }
        : { groups: ['invite.errors.unknownGroup'] };
    return data(
      { intent: 'invite' as const, result: submission.reply({ fieldErrors }), invitation: null },
      { status: 409 },
    );
  }
  await audit('staff.invite', 'success', 'staff_invitation', created.id, {
    email,
    groupIds: groups,
  });
  return {
    intent: 'invite' as const,
    result: submission.reply({ resetForm: true }),
    invitation: {
      name,
      link: `${context.env.publicOrigin}/${locale}/admin/accept?token=${encodeURIComponent(created.token)}`,
      expires: formatDateTime(created.expiresAt, locale),
    },
  };
}

/** FormData as an object whose repeated names (checkboxes) become arrays. */
function entries(form: FormData): [string, string | string[]][] {
  return [...new Set(form.keys())].map((key) => {
    const values = form.getAll(key).map(String);
    return [key, key === 'groups' ? values : (values[0] ?? '')];
  });
}

export default function StaffPage() {
  const { t } = useTranslation('adminStaff');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const { me, members, groups, invitationHours } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  // An index route's own action: without ?index the post would go to the admin layout.
  const formAction = `/${lang}/admin/staff?index`;

  const refused = result && 'error' in result ? result : null;
  const editing = members.find(
    (m) =>
      m.id === search.get('edit') ||
      (refused?.intent === 'memberships' && m.id === refused.accountId),
  );
  const confirming = members.find((m) => m.id === search.get('confirm') && m.status !== 'disabled');
  const panelHeading = useRef<HTMLHeadingElement>(null);
  // The panel appears without a page change: take the reader to it.
  const panelId = editing?.id ?? confirming?.id;
  useEffect(() => {
    if (panelId) panelHeading.current?.focus();
  }, [panelId]);

  const refusal = !refused
    ? null
    : refused.intent === 'memberships'
      ? t(`memberships.${refused.error}`, { name: refused.name })
      : t(`disable.${refused.error}`, { name: refused.name });
  const done =
    result && 'done' in result
      ? result.intent === 'memberships'
        ? t('memberships.saved', { name: result.name })
        : t('disable.done', { name: result.name })
      : null;

  return (
    <div className="page">
      <h1>{t('staff.title')}</h1>
      <p>{t('staff.lead')}</p>
      {done ? <Notice>{done}</Notice> : null}
      {refusal ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{refusal}</p>
        </div>
      ) : null}

      {editing ? (
        <section className="notice notice--info" aria-labelledby="edit-title">
          <h2 id="edit-title" ref={panelHeading} tabIndex={-1}>
            {t('memberships.title', { name: editing.displayName })}
          </h2>
          <p>{t('memberships.lead')}</p>
          <Form method="post" action={formAction} replace key={editing.id}>
            <input type="hidden" name="intent" value="memberships" />
            <input type="hidden" name="accountId" value={editing.id} />
            <fieldset>
              <legend>{t('memberships.legend')}</legend>
              {groups.map((g) => (
                <div className="checkbox" key={g.id}>
                  <input
                    type="checkbox"
                    id={`member-${g.id}`}
                    name="groups"
                    value={g.id}
                    defaultChecked={editing.groupIds.includes(g.id)}
                  />
                  <label htmlFor={`member-${g.id}`} lang={langOf(g.name)}>
                    {g.name}
                  </label>
                </div>
              ))}
            </fieldset>
            <div className="button-row">
              <button type="submit" className="button button--primary">
                {t('memberships.save')}
              </button>
              <Link to={`/${lang}/admin/staff`}>{t('memberships.cancel')}</Link>
            </div>
          </Form>
        </section>
      ) : null}

      {confirming && !editing ? (
        <section className="notice notice--warning" aria-labelledby="confirm-title">
          <h2 id="confirm-title" ref={panelHeading} tabIndex={-1}>
            {t('disable.confirmTitle', { name: confirming.displayName })}
          </h2>
          {confirming.id === me ? (
            <p>{t('disable.self')}</p>
          ) : confirming.lastAdministrator ? (
            <p>{t('disable.lastAdministrator', { name: confirming.displayName })}</p>
          ) : (
            <p>{t('disable.confirmLead')}</p>
          )}
          <Form method="post" action={formAction} replace className="button-row">
            <input type="hidden" name="intent" value="disable" />
            <input type="hidden" name="accountId" value={confirming.id} />
            {confirming.id !== me && !confirming.lastAdministrator ? (
              <button type="submit" className="button button--danger">
                {t('disable.confirmButton')}
              </button>
            ) : null}
            <Link to={`/${lang}/admin/staff`}>{t('disable.cancel')}</Link>
          </Form>
        </section>
      ) : null}

      <h2>{t('staff.list')}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('staff.name')}</th>
              <th scope="col">{t('staff.email')}</th>
              <th scope="col">{t('staff.groups')}</th>
              <th scope="col">{t('staff.status')}</th>
              <th scope="col">{t('staff.changeGroups')}</th>
              <th scope="col">{t('staff.disable')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <span lang={langOf(m.displayName)}>{m.displayName}</span>
                  {m.id === me ? ` ${t('staff.you')}` : null}
                </th>
                <td>{m.email}</td>
                <td>
                  {m.groupIds.length === 0 ? (
                    t('staff.noGroups')
                  ) : (
                    <ul>
                      {m.groupIds.map((id) => (
                        <li key={id} lang={langOf(groupName.get(id) ?? '')}>
                          {groupName.get(id)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{t(`staff.statuses.${m.status}`)}</td>
                <td>
                  <Link
                    to={`?edit=${m.id}`}
                    aria-label={t('staff.editLinkLabel', { name: m.displayName })}
                  >
                    {t('staff.editLink')}
                  </Link>
                </td>
                <td>
                  {m.status === 'disabled' ? null : m.id === me ? (
                    t('staff.cannotDisableSelf')
                  ) : m.lastAdministrator ? (
                    t('staff.cannotDisableLastAdministrator')
                  ) : (
                    <Link
                      to={`?confirm=${m.id}`}
                      aria-label={t('staff.disableLinkLabel', { name: m.displayName })}
                    >
                      {t('staff.disableLink')}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <InviteForm formAction={formAction} groups={groups} hours={invitationHours} />
    </div>
  );
}

function InviteForm({
  formAction,
  groups,
  hours,
}: {
  formAction: string;
  groups: { id: string; name: string }[];
  hours: number;
}) {
  const { t } = useTranslation('adminStaff');
  const result = useActionData<typeof action>();
  const invite = result && 'result' in result ? result : undefined;
  const invitation = invite?.invitation;
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: invite?.result,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      [fields.name, 'invite.name', fields.name.id],
      [fields.email, 'invite.email', fields.email.id],
      [fields.groups, 'invite.groups', `${fields.groups.id}-0`],
    ] as const
  )
    .filter(([field]) => field.errors?.length)
    .map(([field, label, id]) => ({ id, label: t(label), message: message(field.errors) ?? '' }));
  const groupsError = message(fields.groups.errors);
  const chosen = [fields.groups.initialValue ?? []].flat();

  const createdHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (invitation) createdHeading.current?.focus();
  }, [invitation]);

  return (
    <>
      <h2>{t('invite.title')}</h2>
      {invitation ? (
        <section className="notice" aria-labelledby="invitation-title">
          <h3 id="invitation-title" ref={createdHeading} tabIndex={-1}>
            {t('invite.createdTitle', { name: invitation.name })}
          </h3>
          <p>
            <strong>{t('invite.once')}</strong>
          </p>
          <div className="field">
            <label htmlFor="invitation-link" className="field__label">
              {t('invite.link')}
            </label>
            <input
              id="invitation-link"
              type="text"
              size={60}
              readOnly
              value={invitation.link}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <p>{t('invite.expires', { time: invitation.expires })}</p>
        </section>
      ) : null}
      <p>{t('invite.lead', { hours })}</p>
      <Form method="post" action={formAction} {...getFormProps(form)} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="invite" />
        <Field
          id={fields.name.id}
          label={t('invite.name')}
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
          id={fields.email.id}
          label={t('invite.email')}
          hint={t('invite.emailHint')}
          error={message(fields.email.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.email, { type: 'email' })}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <fieldset
          className={groupsError ? 'field field--error' : 'field'}
          aria-describedby={`${fields.groups.id}-hint${groupsError ? ` ${fields.groups.id}-error` : ''}`}
        >
          <legend>
            {t('invite.groups')}
            <span className="field__required">{t('common:form.required')}</span>
          </legend>
          <p className="field__hint" id={`${fields.groups.id}-hint`}>
            {t('invite.groupsHint')}
          </p>
          {groupsError ? (
            <p className="field__error" id={`${fields.groups.id}-error`}>
              <span className="visually-hidden">{t('common:form.errorPrefix')}</span>
              {groupsError}
            </p>
          ) : null}
          {groups.map((g, i) => (
            <div className="checkbox" key={`${form.key}-${g.id}`}>
              <input
                type="checkbox"
                id={`${fields.groups.id}-${i}`}
                name={fields.groups.name}
                value={g.id}
                defaultChecked={chosen.includes(g.id)}
                aria-invalid={groupsError ? true : undefined}
              />
              <label htmlFor={`${fields.groups.id}-${i}`} lang={langOf(g.name)}>
                {g.name}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('invite.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
