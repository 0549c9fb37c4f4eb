import { useEffect, useRef } from 'react';
import { data, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Link,
  useLoaderData,
  useLocation,
  useParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff, type StaffAccess } from '../identity/guards.server.ts';
import { viewAudit } from '../audit/audit.service.server.ts';
import type { AuditRecord } from '../audit/audit.ts';
import {
  AuditFilterForm,
  AuditTable,
  auditSearchString,
  readAuditSearch,
  type AuditRow,
  type AuditSearch,
} from '../audit/audit-table.tsx';
import { formatDateTime, isoInstant } from '../i18n/dates.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'adminAudit:title', i18n: ['adminAudit'] };

const PAGE_SIZE = 50;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'audit:read');
  const locale: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const read = readAuditSearch(new URL(request.url).searchParams);
  if (!read.ok)
    return data({ values: read.values, errors: read.errors, results: null }, { status: 400 });

  const { search } = read;
  // Staff reading the log is itself logged, once per page shown.
  const page = await auditPage(context, staff, search);
  return data({
    values: read.values,
    errors: {},
    results: {
      rows: page.records.map((r) => toRow(r, locale)),
      older: page.next === null ? null : auditSearchString(search.query, page.next),
      newest: search.before !== undefined,
      query: auditSearchString(search.query),
    },
  });
}

/** One page, newest first: PAGE_SIZE + 1 rows tell whether an older page exists. */
async function auditPage(
  context: LoaderFunctionArgs['context'],
  staff: StaffAccess,
  search: AuditSearch,
): Promise<{ records: AuditRecord[]; next: number | null }> {
  const batch = await viewAudit(
    context.db,
    staff.actor,
    {
      ...search.filter,
      before: search.before === undefined ? undefined : { seq: search.before },
      limit: PAGE_SIZE + 1,
    },
    { ...search.query, ...(search.before ? { before: search.before } : {}) },
  );
  const records = batch.slice(0, PAGE_SIZE);
  return { records, next: batch.length > PAGE_SIZE ? records.at(-1)!.seq : null };
}

function toRow(r: AuditRecord, locale: Locale): AuditRow {
  return {
    seq: r.seq,
    at: isoInstant(r.occurredAt),
    time: formatDateTime(r.occurredAt, locale),
    actorType: r.actorType,
    actorId: r.actorId,
    onBehalfOfResidentId: r.onBehalfOfResidentId,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    ip: r.ip,
  };
}

// Every load is recorded as a view: reload only when the address changes, not after an
// action elsewhere on the page (signing out, switching back from acting for someone).
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) =>
  formMethod && formMethod !== 'GET' && currentUrl.href === nextUrl.href
    ? false
    : defaultShouldRevalidate;

export default function AuditLog() {
  const { t } = useTranslation('adminAudit');
  const { lang } = useParams();
  const { values, errors, results } = useLoaderData<typeof loader>();
  const base = `/${lang}/admin/audit`;
  const { search } = useLocation();

  // After a new search or another page, start reading at the results (the form stays put).
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(search);
  useEffect(() => {
    if (shown.current === search) return;
    shown.current = search;
    resultsHeading.current?.focus();
  }, [search]);

  return (
    <>
      <div className="page">
        <h1>{t('title')}</h1>
        <p>{t('lead')}</p>
        <AuditFilterForm
          // A new search (or the menu link) starts from the values it was loaded with.
          key={JSON.stringify(values)}
          values={values}
          errors={errors}
          clearHref={base}
        />
      </div>
      {results ? (
        // Outside the reading measure: the table needs the page's full width.
        <section aria-labelledby="audit-results-heading">
          <h2 id="audit-results-heading" tabIndex={-1} ref={resultsHeading}>
            {t('results.heading')}
          </h2>
          <p>
            <a href={`/${lang}/admin/audit.csv${results.query}`} download>
              {t('export.link')}
            </a>
          </p>
          <p className="hint">{t('export.hint')}</p>
          {results.rows.length === 0 ? (
            <p>{t('results.none')}</p>
          ) : (
            <>
              <p>{t('results.count', { n: results.rows.length })}</p>
              <AuditTable rows={results.rows} />
            </>
          )}
          {results.older || results.newest ? (
            <nav aria-label={t('results.pages')} className="button-row">
              {results.newest ? (
                <Link to={`${base}${results.query}`}>{t('results.newest')}</Link>
              ) : null}
              {results.older ? (
                <Link to={`${base}${results.older}`} rel="next">
                  {t('results.older')}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
