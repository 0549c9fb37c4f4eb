import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useLocation, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { useSearchKey } from '../../ui/search-key.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { searchTargets, TARGET_SEARCH_LIMIT } from '../../targets/target.service.server.ts';
import { formatDateBoth, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { useFocusOnChange } from '../../ui/focus.ts';
import { SearchSchema } from './search.schema.ts';
import { SearchForm } from './search-form.tsx';
import { ResultsTable } from './results-table.tsx';

export const handle: RouteHandle = {
  title: 'adminTargets:search.title',
  i18n: ['adminTargets'],
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const canLookUp = staff.permissions.has('targets:lookup');
  const searched = [...url.searchParams.values()].some((v) => v.trim() !== '');
  if (!searched) return { state: 'empty' as const, result: undefined, canLookUp };
  const submission = parseWithZod(url.searchParams, { schema: SearchSchema });
  if (submission.status !== 'success')
    return { state: 'invalid' as const, result: submission.reply(), canLookUp };

  const found = await searchTargets(
    context.db,
    staff.actor,
    clerkOf(staff, context.env).municipalityCode,
    submission.value,
  );
  // The schema has read the date already; 'empty' is a search of spaces only.
  if (found.outcome !== 'found') return { state: 'empty' as const, result: undefined, canLookUp };
  return {
    state: 'searched' as const,
    result: undefined,
    canLookUp,
    more: found.more,
    // A server module's constant: the browser bundle only sees what the loader sends.
    limit: TARGET_SEARCH_LIMIT,
    targets: found.targets.map((target) => ({
      id: target.id,
      name: target.name,
      nameKana: target.nameKana,
      birthDate: formatDateBoth(tokyoDayStart(target.birthDate), locale),
      state: target.state,
      applicationId: target.applicationId,
      reservationId: target.reservationId,
    })),
  };
}

export default function TargetSearch() {
  const { t } = useTranslation('adminTargets');
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  // A new search is a new page: the form starts from what the address says.
  // Keyed by navigation, not by query: the same search sent again (same mistakes) gets a
  // fresh form holding the server's answer, whose error summary takes focus again.
  const { search } = useLocation();
  const navigation = useSearchKey();
  // The button pressed is rebuilt with the form: continue at the count of what was found.
  const focusTarget = useFocusOnChange<HTMLParagraphElement>(search, { afterFirst: true });
  return (
    <div className="page">
      <h1>{t('search.title')}</h1>
      <p>{t('search.lead')}</p>
      {page.canLookUp ? (
        <p>
          <Link to={`/${lang}/admin/targets/lookup`}>{t('search.lookupLink')}</Link>
        </p>
      ) : null}
      <SearchForm key={navigation} />

      {page.state === 'empty' ? (
        <p className="notice notice--info" tabIndex={-1} ref={focusTarget}>
          {t('search.empty')}
        </p>
      ) : null}
      {/* Not a landmark of its own: the table's scrolling region carries the name. */}
      <section>
        {page.state === 'searched' ? <h2 id="results-title">{t('search.results')}</h2> : null}
        {/* Always in the page, so each new count is announced. */}
        <div role="status">
          {page.state === 'searched' ? (
            <p tabIndex={-1} ref={focusTarget}>
              {page.targets.length === 0
                ? t('search.none')
                : page.more
                  ? t('search.tooMany', { limit: page.limit })
                  : t('search.count', { count: page.targets.length })}
            </p>
          ) : null}
        </div>
        {page.state === 'searched' && page.targets.length > 0 ? (
          <ResultsTable targets={page.targets} />
        ) : null}
      </section>
    </div>
  );
}
