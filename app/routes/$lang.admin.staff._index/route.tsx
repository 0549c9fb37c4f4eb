import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useParams, useSearchParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import {
  disableStaff,
  listStaffMembers,
  setMemberships,
} from '../../identity/staff.service.server.ts';
import { INVITATION_HOURS, inviteStaff } from '../../identity/staff-invitation.service.server.ts';
import { listGroups } from '../../identity/staff-groups.service.server.ts';
import { InviteSchema, MembershipsSchema } from '../../identity/staff.schema.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { DisablePanel, MembershipsPanel } from './confirm-panels.tsx';
import { InviteForm } from './invite-form.tsx';
import { StaffTable } from './staff-table.tsx';

export const handle: RouteHandle = { title: 'adminStaff:staff.title', i18n: ['adminStaff'] };

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
  if (intent === 'memberships') {
    const intent = 'memberships' as const;
    const parsed = MembershipsSchema.safeParse(Object.fromEntries(entries(form)));
    if (!parsed.success) throw new Response('Bad Request', { status: 400 });
    const { accountId, groups } = parsed.data;
    const result = await setMemberships(context.db, staff.actor, accountId, groups);
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'unknown_group')
      return data({ intent, error: 'unknownGroup' as const, accountId, name: '' }, { status: 409 });
    if (result.outcome === 'last_administrator') {
      return data(
        { intent, error: 'lastAdministrator' as const, accountId, name: result.displayName },
        { status: 409 },
      );
    }
    return { intent, done: true as const, name: result.displayName };
  }

  if (intent === 'disable') {
    const intent = 'disable' as const;
    const accountId = String(form.get('accountId') ?? '');
    const result = await disableStaff(
      context.db,
      { ...staff.actor, actorId: staff.session.accountId },
      accountId,
    );
    if (result.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (result.outcome === 'self' || result.outcome === 'last_administrator') {
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
  const created = await inviteStaff(context.db, staff.actor, {
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
  const refusalBox = useFocusOnChange<HTMLDivElement>(refused);
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
      {/* The panel that was acted on closes (or stays): the answer is where to continue. */}
      {done ? <Notice focusKey={result}>{done}</Notice> : null}
      {refusal ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={refusalBox}>
          <p>{refusal}</p>
        </div>
      ) : null}

      {editing ? (
        <MembershipsPanel
          member={editing}
          groups={groups}
          formAction={formAction}
          headingRef={panelHeading}
        />
      ) : null}

      {confirming && !editing ? (
        <DisablePanel
          member={confirming}
          me={me}
          formAction={formAction}
          headingRef={panelHeading}
        />
      ) : null}

      <h2>{t('staff.list')}</h2>
      <StaffTable />

      <InviteForm formAction={formAction} groups={groups} hours={invitationHours} />
    </div>
  );
}
