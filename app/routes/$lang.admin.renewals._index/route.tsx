import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useLocation, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { useSearchKey } from '../../ui/search-key.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDateBoth, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { useFocusOnChange } from '../../ui/focus.ts';
import { RENEWAL_SEARCH_LIMIT, searchRenewals } from '../../targets/renewal.service.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { RenewalSearchSchema } from './search.schema.ts';
import { RenewalSearchForm } from './search-form.tsx';
import { RenewalResults } from './results.tsx';

export const handle: RouteHandle = { title: 'adminRenewals:title', i18n: ['adminRenewals'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const tools = {
    canImport: staff.permissions.has('targets:import'),
    canExport: staff.permissions.has('targets:export'),
  };
  const url = new URL(request.url);
  const searched = ['name', 'birthDate', 'noticeNumber', 'reservationId', 'code'].some(
    (k) => (url.searchParams.get(k) ?? '').trim() !== '',
  );
  const submission = parseWithZod(url.searchParams, { schema: RenewalSearchSchema });
  if (submission.status !== 'success')
    return { ...tools, state: 'invalid' as const, result: submission.reply() };
  if (!searched) return { ...tools, state: 'empty' as const, result: undefined };
  const { name, birthDate, noticeNumber, reservationId, code, state } = submission.value;
  const found = await searchRenewals(
    context.db,
    staff.actor,
    clerkOf(staff, context.env).municipalityCode,
    {
      name,
      birthDate,
      noticeNumber,
      reservationId,
      registerCode: code,
      state: state === 'all' ? undefined : state,
    },
  );
  if (found.outcome !== 'found') return { ...tools, state: 'empty' as const, result: undefined };
  return {
    ...tools,
    state: 'searched' as const,
    result: undefined,
    more: found.more,
    limit: RENEWAL_SEARCH_LIMIT,
    renewals: found.renewals.map((r) => ({
      id: r.id,
      name: r.name,
      nameKana: r.nameKana,
      birthDate: formatDateBoth(tokyoDayStart(r.birthDate), locale),
      noticeNumber: r.noticeNumber,
      residentRegisterCode: r.residentRegisterCode,
      state: r.state,
    })),
  };
}

export default function Renewals() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const loaded = useLoaderData<typeof loader>();
  // Keyed by navigation, not by query: the same search sent again (same mistakes) gets a
  // fresh form holding the server's answer, whose error summary takes focus again.
  const { search } = useLocation();
  const navigation = useSearchKey();
  const focusTarget = useFocusOnChange<HTMLHeadingElement>(search, { afterFirst: true });
  const state = new URLSearchParams(search).get('state');
  const exportHref = (encoding?: string) =>
    `/${lang}/admin/renewals.csv?${new URLSearchParams({
      ...(state ? { state } : {}),
      ...(encoding ? { encoding } : {}),
    })}`;
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      <nav aria-labelledby="tools-title">
        <h2 id="tools-title">{t('tools.heading')}</h2>
        <ul>
          <li>
            <Link to={`/${lang}/admin/renewals/new`}>{t('tools.add')}</Link>
          </li>
          {loaded.canImport ? (
            <li>
              <Link to={`/${lang}/admin/renewals/import`}>{t('tools.import')}</Link>
            </li>
          ) : null}
          {loaded.canExport ? (
            <>
              <li>
                <a href={exportHref()} download>
                  {t('tools.export')}
                </a>
              </li>
              <li>
                <a href={exportHref('cp932')} download>
                  {t('tools.exportCp932')}
                </a>
              </li>
            </>
          ) : null}
        </ul>
      </nav>

      <section aria-labelledby="search-title">
        <h2 id="search-title">{t('search.heading')}</h2>
        <RenewalSearchForm key={navigation} />
      </section>

      {loaded.state === 'empty' && search ? (
        <p className="notice notice--info">{t('search.empty')}</p>
      ) : null}
      <section aria-labelledby={loaded.state === 'searched' ? 'results-title' : undefined}>
        {loaded.state === 'searched' ? (
          <h2 id="results-title" tabIndex={-1} ref={focusTarget}>
            {t('search.results')}
          </h2>
        ) : null}
        <div role="status" data-testid="search-count">
          {loaded.state === 'searched' ? (
            <p>
              {loaded.renewals.length === 0
                ? t('search.none')
                : t('search.count', { count: loaded.renewals.length })}
            </p>
          ) : null}
        </div>
        {loaded.state === 'searched' && loaded.more ? (
          <p className="notice notice--warning">{t('search.tooMany', { limit: loaded.limit })}</p>
        ) : null}
        {loaded.state === 'searched' && loaded.renewals.length > 0 ? (
          <RenewalResults renewals={loaded.renewals} />
        ) : null}
      </section>
    </div>
  );
}
