import type { z } from 'zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useParams,
  useSearchParams,
} from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Field, Fieldset, Notice } from '../ui/form.tsx';
import { formAnswer, inputOf } from '../ui/form-answer.ts';
import { useFocusOnChange } from '../ui/focus.ts';
import { FormDraft } from '../ui/form-draft.tsx';
import { requireResidentAccess } from '../identity/guards.server.ts';
import { createGrant, grantsOfResident, revokeGrant } from '../identity/proxies.server.ts';
import { GrantSchema } from '../identity/proxy.schema.server.ts';
import { proxyScopes } from '../identity/permissions.ts';
import { formatDate, isCalendarDate, rangeText, tokyoDate, tokyoDayEnd } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';
import { TableRegion } from '../ui/table-region.tsx';

export const handle: RouteHandle = { title: 'identity:proxies.title', i18n: ['identity'] };

/** Only the resident themselves manages their proxies (a proxy cannot appoint another). */
async function requireSelf(request: Request, context: LoaderFunctionArgs['context']) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  return access;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireSelf(request, context);
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const grants = await grantsOfResident(context.db, access.residentId);
  return {
    grants: grants.map((g) => ({
      id: g.id,
      proxyName: g.proxyName,
      scopes: g.scopes,
      period: rangeText(
        formatDate(g.startsAt, locale),
        formatDate(new Date(g.endsAt.getTime() - 1), locale),
        locale,
      ),
      status: g.revokedAt
        ? 'revoked'
        : g.endsAt <= now
          ? 'ended'
          : g.acceptedAt
            ? 'active'
            : 'pending',
      invitationExpires: g.invitationExpiresAt ? formatDate(g.invitationExpiresAt, locale) : '',
    })),
    today: tokyoDate(now),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireSelf(request, context);
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();
  if (form.get('intent') === 'revoke') {
    const grantId = String(form.get('grantId') ?? '');
    if (!(await revokeGrant(context.db, access.actor, access.residentId, grantId)))
      throw new Response('Not Found', { status: 404 });
    return { revoked: String(form.get('proxyName') ?? '') };
  }
  const submission = parseWithZod(form, { schema: GrantSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const now = new Date();
  const { endDate } = submission.value;
  const endsAt = isCalendarDate(endDate) ? tokyoDayEnd(endDate) : null;
  if (!endsAt || endsAt <= now || endsAt.getTime() - now.getTime() > 367 * 86_400_000) {
    return data(
      { result: submission.reply({ fieldErrors: { endDate: ['proxies.errors.endDate'] } }) },
      { status: 400 },
    );
  }
  const grant = await createGrant(context.db, access.actor, {
    residentId: access.residentId,
    proxyName: submission.value.proxyName,
    scopes: submission.value.scopes,
    startsAt: now,
    endsAt,
  });
  return {
    created: {
      name: submission.value.proxyName,
      link: `${context.env.publicOrigin}/${locale}/proxy/accept?token=${grant.token}`,
      expires: formatDate(grant.invitationExpiresAt, locale),
    },
    result: submission.reply({ resetForm: true }),
  };
}

export default function Proxies() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const { grants, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const form = formAnswer<z.input<typeof GrantSchema>>(
    'proxy-grant',
    actionData && 'result' in actionData ? actionData.result : undefined,
  );
  const { fields } = form;
  const confirm = grants.find(
    (g) => g.id === search.get('revoke') && (g.status === 'active' || g.status === 'pending'),
  );
  const msg = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = [
    fields.proxyName.errors
      ? {
          id: fields.proxyName.id,
          label: t('proxies.proxyName'),
          message: msg(fields.proxyName.errors) ?? '',
        }
      : null,
    fields.scopes.errors
      ? {
          id: `${fields.scopes.id}-notices`,
          label: t('proxies.scopes'),
          message: msg(fields.scopes.errors) ?? '',
        }
      : null,
    fields.endDate.errors
      ? {
          id: fields.endDate.id,
          label: t('proxies.endDate'),
          message: msg(fields.endDate.errors) ?? '',
        }
      : null,
  ].filter((e) => e !== null);
  const created = actionData && 'created' in actionData ? actionData.created : null;
  // The link appears at the top of the page, far from the button: take the reader to it.
  const createdHeading = useFocusOnChange<HTMLHeadingElement>(created);
  // The question appears above the table, away from the link that asked it.
  const confirmHeading = useFocusOnChange<HTMLHeadingElement>(confirm?.id);

  return (
    <div className="page">
      <h1>{t('proxies.title')}</h1>
      <p>{t('proxies.lead')}</p>
      {actionData && 'revoked' in actionData ? (
        <Notice focusKey={actionData}>{t('proxies.revoked', { name: actionData.revoked })}</Notice>
      ) : null}
      {created ? (
        <section className="notice" aria-labelledby="created-heading">
          <h2 id="created-heading" tabIndex={-1} ref={createdHeading}>
            {t('proxies.created')}
          </h2>
          <p>{t('proxies.createdLead', { name: created.name, date: created.expires })}</p>
          <p>
            <code className="invitation-link" data-testid="proxy-invitation-link">
              {created.link}
            </code>
          </p>
        </section>
      ) : null}

      <h2>{t('proxies.grants')}</h2>
      {confirm ? (
        <section className="notice notice--warning" aria-labelledby="confirm-revoke">
          <h3 id="confirm-revoke" tabIndex={-1} ref={confirmHeading}>
            {t('proxies.revokeConfirm', { name: confirm.proxyName })}
          </h3>
          <Form method="post" action={`/${lang}/my/proxies`} className="button-row">
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="grantId" value={confirm.id} />
            <input type="hidden" name="proxyName" value={confirm.proxyName} />
            <button type="submit" className="button button--danger">
              {t('proxies.revokeConfirmButton')}
            </button>
            <Link to={`/${lang}/my/proxies`}>{t('proxies.cancel')}</Link>
          </Form>
        </section>
      ) : null}
      {grants.length === 0 ? (
        <p>{t('proxies.none')}</p>
      ) : (
        <TableRegion label={t('proxies.grants')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('proxies.proxyName')}</th>
                <th scope="col">{t('proxies.scopes')}</th>
                <th scope="col">{t('proxies.period')}</th>
                <th scope="col">{t('proxies.status')}</th>
                <th scope="col">{t('proxies.revoke')}</th>
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{userText(g.proxyName)}</th>
                  <td>{g.scopes.map((s) => t(`proxies.scope.${s}`)).join('、')}</td>
                  <td>{g.period}</td>
                  <td>
                    {g.status === 'pending'
                      ? t('proxies.statusPending', { date: g.invitationExpires })
                      : t(`proxies.status${g.status[0]?.toUpperCase()}${g.status.slice(1)}`)}
                  </td>
                  <td>
                    {g.status === 'active' || g.status === 'pending' ? (
                      <Link
                        to={`?revoke=${g.id}`}
                        aria-label={`${t('proxies.revoke')}: ${userText(g.proxyName)}`}
                      >
                        {t('proxies.revoke')}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}

      <h2>{t('proxies.add')}</h2>
      {/* A new form (empty fields) after each grant made; the same one while it has errors. */}
      <Form method="post" id={form.id} key={created?.link} noValidate className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="grant" />
        <FormDraft name="proxy-grant" done={Boolean(created)} />
        <Field
          id={fields.proxyName.id}
          label={t('proxies.proxyName')}
          error={msg(fields.proxyName.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...inputOf(fields.proxyName)}
              type="text"
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Fieldset
          id={fields.scopes.id}
          legend={t('proxies.scopes')}
          error={msg(fields.scopes.errors)}
          required
        >
          {() =>
            proxyScopes.map((scope) => (
              <div className="checkbox" key={scope}>
                <input
                  type="checkbox"
                  id={`${fields.scopes.id}-${scope}`}
                  name={fields.scopes.name}
                  value={scope}
                  defaultChecked={
                    fields.scopes.defaultOptions
                      ? fields.scopes.defaultOptions.includes(scope)
                      : scope === 'notices'
                  }
                />
                <label htmlFor={`${fields.scopes.id}-${scope}`}>
                  {t(`proxies.scope.${scope}`)}
                </label>
              </div>
            ))
          }
        </Fieldset>
        <Field
          id={fields.endDate.id}
          label={t('proxies.endDate')}
          hint={t('proxies.endDateHint')}
          error={msg(fields.endDate.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...inputOf(fields.endDate)}
              type="date"
              min={today}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('proxies.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
