import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useLocation, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { searchResidentsForStaff, viewResident } from '../../identity/residents.server.ts';
import {
  credentialsOfResident,
  revokeCredentials,
} from '../../credentials/revocation.service.server.ts';
import { StaffRevokeSchema } from '../../credentials/revocation.schema.server.ts';
import { credentialView, shortThumbprint } from '../../credentials/revocation.ts';
import { formatDateBoth, formatDateTime, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { aroundValue, VALUE_MARK } from '../../letters/letter.ts';
import { Notice } from '../../ui/form.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import { userText } from '../../ui/user-text.ts';
import { SearchForm, ResidentResults } from './search.tsx';
import { CredentialsTable } from './credentials-table.tsx';
import { RevokeConfirm } from './revoke-confirm.tsx';

export const handle: RouteHandle = { title: 'credentials:admin.title', i18n: ['credentials'] };

const RESULT_LIMIT = 50;
const Query = z.object({
  q: z.string().trim().max(100).optional(),
  resident: z.uuid().optional(),
});

/**
 * Staff find a resident (as on the residents page), see every credential issued to them and
 * withdraw one or all with a reason, after a confirmation (?confirm=<id>|all).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'credentials:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const query = Query.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    if (url.searchParams.has('resident')) throw new Response('Not Found', { status: 404 });
    return { view: 'search' as const, invalid: true, residents: [], more: false };
  }
  const { q, resident: residentId } = query.data;
  if (residentId) {
    const resident = await viewResident(context.db, staff.actor, residentId);
    if (!resident) throw new Response('Not Found', { status: 404 });
    const now = new Date();
    const rows = await credentialsOfResident(context.db, residentId);
    return {
      view: 'resident' as const,
      resident: {
        id: resident.id,
        name: resident.name,
        birthDate: formatDateBoth(tokyoDayStart(resident.birthDate), locale),
      },
      credentials: rows.map((c) => ({
        ...credentialView(c, locale, now),
        thumbprint: shortThumbprint(c.deviceKeyThumbprint),
        note: c.revokedNote,
        revokedAt: c.revokedAt ? formatDateTime(c.revokedAt, locale) : null,
      })),
    };
  }
  if (!q) return { view: 'search' as const, invalid: false, residents: null, more: false };
  const rows = await searchResidentsForStaff(context.db, staff.actor, { text: q }, RESULT_LIMIT);
  return {
    view: 'search' as const,
    invalid: false,
    more: rows.length > RESULT_LIMIT,
    residents: rows.slice(0, RESULT_LIMIT).map((r) => ({
      id: r.id,
      name: r.name,
      nameKana: r.nameKana,
      birthDate: formatDateBoth(tokyoDayStart(r.birthDate), locale),
      address: r.address,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'credentials:manage');
  const submission = parseWithZod(await request.formData(), { schema: StaffRevokeSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), done: null }, { status: 400 });
  const { residentId, target, reason, note } = submission.value;
  const done = await revokeCredentials(
    context.db,
    staff.actor,
    {
      residentId,
      credentials: target === 'all' ? 'all' : { ids: [target] },
      reason,
      note: note ?? null,
    },
    { boss: context.boss },
  );
  if (done.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  return {
    result: submission.reply({ resetForm: true }),
    done: { outcome: done.outcome, count: done.revoked.length },
  };
}

export default function AdminCredentials() {
  const { t } = useTranslation('credentials');
  const page = useLoaderData<typeof loader>();
  const { search } = useLocation();
  // Each search is a new page whose form is rebuilt: continue at the results.
  const results = useFocusOnChange<HTMLHeadingElement>(search, { afterFirst: true });
  return (
    <div className="page">
      {page.view === 'resident' ? (
        <ResidentCredentials />
      ) : (
        <>
          <h1>{t('admin.title')}</h1>
          <p>{t('admin.lead')}</p>
          <SearchForm invalid={page.invalid} />
          {page.residents ? (
            <ResidentResults
              residents={page.residents}
              more={page.more}
              limit={RESULT_LIMIT}
              heading={results}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

function ResidentCredentials() {
  const { t } = useTranslation('credentials');
  const { lang } = useParams();
  const { search } = useLocation();
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (page.view !== 'resident') return null;
  const confirm = new URLSearchParams(search).get('confirm');
  const failed = answer && !answer.done;
  const asked = failed
    ? String(answer.result.initialValue?.target ?? '')
    : answer?.done
      ? null
      : confirm;
  const active = page.credentials.filter((c) => c.state === 'active');
  const confirming =
    asked === 'all' && active.length > 0 ? ('all' as const) : active.find((c) => c.id === asked);
  const heading = aroundValue(t('admin.credentialsOf', { name: VALUE_MARK }));
  const self = `/${lang}/admin/credentials?resident=${page.resident.id}`;
  return (
    <>
      <p>
        <Link to={`/${lang}/admin/credentials`}>{t('admin.back')}</Link>
      </p>
      <h1>
        {heading.before}
        <span lang="ja">{userText(page.resident.name)}</span>
        {heading.after}
      </h1>
      <p>{page.resident.birthDate}</p>
      {answer?.done ? (
        <Notice focusKey={answer} tone={answer.done.outcome === 'revoked' ? 'success' : 'info'}>
          <p>
            {answer.done.outcome === 'revoked'
              ? t('admin.done', { count: answer.done.count })
              : t('admin.already')}
          </p>
        </Notice>
      ) : null}
      {confirming ? (
        <RevokeConfirm
          residentId={page.resident.id}
          target={confirming === 'all' ? 'all' : confirming.id}
          activeCount={active.length}
          cancelTo={self}
        />
      ) : null}
      {page.credentials.length === 0 ? (
        <p>{t('admin.noCredentials')}</p>
      ) : (
        <CredentialsTable credentials={page.credentials} self={self} />
      )}
      {active.length > 0 && !confirming ? (
        <p>
          <Link to={`${self}&confirm=all`} className="button button--danger">
            {t('admin.revokeAll')}
          </Link>
        </p>
      ) : null}
    </>
  );
}
