import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { useSearchKey } from '../../ui/search-key.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { searchResidentsForStaff } from '../../identity/residents.server.ts';
import { formatDateBoth, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { SearchSchema } from './search.schema.ts';
import { SearchForm } from './search-form.tsx';
import { ResultsTable } from './results-table.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';

export const handle: RouteHandle = {
  title: 'adminResidents:search.title',
  i18n: ['adminResidents'],
};

const RESULT_LIMIT = 50;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'residents:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const url = new URL(request.url);
  const submission = parseWithZod(url.searchParams, { schema: SearchSchema });
  if (submission.status !== 'success') {
    const searched = [...url.searchParams.values()].some((v) => v.trim() !== '');
    return {
      state: searched ? ('invalid' as const) : ('empty' as const),
      result: searched ? submission.reply() : undefined,
      residents: [],
      more: false,
    };
  }
  const { text, birthDate } = submission.value;
  if (!text && !birthDate)
    return { state: 'empty' as const, result: undefined, residents: [], more: false };

  const rows = await searchResidentsForStaff(
    context.db,
    staff.actor,
    { text, birthDate: birthDate ?? undefined },
    RESULT_LIMIT,
  );

  return {
    state: 'searched' as const,
    result: undefined,
    more: rows.length > RESULT_LIMIT,
    residents: rows.slice(0, RESULT_LIMIT).map((r) => ({
      id: r.id,
      name: r.name,
      nameKana: r.nameKana,
      nameLatin: r.nameLatin,
      birthDate: formatDateBoth(tokyoDayStart(r.birthDate), locale),
      address: r.address,
      municipalityName: r.municipalityName,
    })),
  };
}

export default function ResidentSearch() {
  const { t } = useTranslation('adminResidents');
  const { state, residents, more } = useLoaderData<typeof loader>();
  // A new search is a new page: the form starts from what the address says.
  // Keyed by navigation, not by query: the same search sent again (same mistakes) gets a
  // fresh form holding the server's answer, whose error summary takes focus again.
  const { search } = useLocation();
  const navigation = useSearchKey();
  // The form is rebuilt for each search (the button pressed is gone): continue at the result.
  const focusTarget = useFocusOnChange<HTMLHeadingElement & HTMLParagraphElement>(search, {
    afterFirst: true,
  });
  return (
    <div className="page">
      <h1>{t('search.title')}</h1>
      <p>{t('search.lead')}</p>
      <SearchForm key={navigation} />

      {state === 'empty' ? (
        <p className="notice notice--info" tabIndex={-1} ref={focusTarget}>
          {t('search.empty')}
        </p>
      ) : null}
      <section aria-labelledby={state === 'searched' ? 'results-title' : undefined}>
        {state === 'searched' ? (
          <h2 id="results-title" tabIndex={-1} ref={focusTarget}>
            {t('search.results')}
          </h2>
        ) : null}
        {/* Always in the page, so each new count is announced. */}
        <div role="status">
          {state === 'searched' ? (
            <p>
              {residents.length === 0
                ? t('search.none')
                : t('search.count', { count: residents.length })}
            </p>
          ) : null}
        </div>
        {state === 'searched' && residents.length > 0 ? (
          <>
            {more ? (
              <p className="notice notice--warning">
                {t('search.tooMany', { limit: RESULT_LIMIT })}
              </p>
            ) : null}
            <ResultsTable residents={residents} />
          </>
        ) : null}
      </section>
    </div>
  );
}
