import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import {
  checkTargetExport,
  targetExportChoices,
} from '../../targets/target-export.service.server.ts';
import { importOption } from '../../targets/import-option.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import {
  exportSearchString,
  hasExportChoice,
  readExportSearch,
  type ExportErrors,
  type ExportValues,
} from '../../targets/target-export-search.ts';
import { ExportForm } from './export-form.tsx';
import { ExportResult } from './export-result.tsx';

export const handle: RouteHandle = {
  title: 'adminTargetExport:title',
  i18n: ['adminTargetExport'],
};

/**
 * Choosing what to export of the clerk's city's targets (decision 0047): a state or an
 * import, and the encoding. Checking shows how many targets the file will hold, or why CP932
 * cannot hold them, and the download link; the CSV itself is $lang.admin.targets.export[.]csv.ts.
 * There is no city to choose (an old address's `city` is ignored); another city's import is
 * not found.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:export');
  const city = clerkOf(staff, context.env).municipalityCode;
  const locale: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const choices = await targetExportChoices(context.db, city);
  const options = {
    imports: choices.imports.map((i) =>
      importOption('adminTargetExport:form.importOption', locale, i),
    ),
  };
  const searchParams = new URL(request.url).searchParams;
  if (!hasExportChoice(searchParams)) {
    const values: ExportValues = {
      state: '',
      importId: '',
      encoding: 'utf-8',
    };
    return data({ options, values, errors: {} as ExportErrors, result: null });
  }
  const read = readExportSearch(searchParams);
  if (!read.ok)
    return data(
      { options, values: read.values, errors: read.errors, result: null },
      { status: 400 },
    );
  const { search } = read;
  const check = await checkTargetExport(
    context.db,
    { municipalityCode: city, state: search.state, importId: search.importId },
    search.encoding,
  );
  if (check.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  return data({
    options,
    values: read.values,
    errors: {} as ExportErrors,
    result: {
      rows: check.rows,
      encoding: search.encoding,
      unmappable: check.unmappable,
      href: `/${locale}/admin/targets/export.csv${exportSearchString(search)}`,
    },
  });
}

export default function TargetExport() {
  const { t } = useTranslation('adminTargetExport');
  const { options, values, errors, result } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      {options.imports.length === 0 ? (
        <p>{t('noTargets')}</p>
      ) : (
        <>
          <p>{t('lead')}</p>
          {/* A new check starts from the values it was loaded with. */}
          <ExportForm
            key={JSON.stringify(values)}
            options={options}
            values={values}
            errors={errors}
          />
          {result ? <ExportResult result={result} focusKey={search} /> : null}
        </>
      )}
    </div>
  );
}
