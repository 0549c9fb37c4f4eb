import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDate } from '../../i18n/dates.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import {
  checkTargetExport,
  targetExportChoices,
} from '../../targets/target-export.service.server.ts';
import {
  exportSearchString,
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
 * Choosing what to export (decision 0047): the city, a state or an import, and the encoding.
 * Checking shows how many targets the file will hold, or why CP932 cannot hold them, and the
 * download link; the CSV itself is $lang.admin.targets.export[.]csv.ts.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'targets:export');
  const locale: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const choices = await targetExportChoices(context.db);
  const options = {
    cities: choices.cities,
    imports: choices.imports.map((i) => ({
      id: i.id,
      label: i.fileName,
      date: i.confirmedAt ? formatDate(i.confirmedAt, locale) : '',
      city: i.municipalityCode,
      lines: i.lineCount,
    })),
  };
  const searchParams = new URL(request.url).searchParams;
  if (!searchParams.has('city')) {
    const values: ExportValues = {
      city: choices.cities[0] ?? '',
      state: '',
      importId: '',
      encoding: 'utf-8',
    };
    return data({ options, values, errors: {} as ExportErrors, result: null });
  }
  const read = readExportSearch(searchParams, choices);
  if (!read.ok)
    return data(
      { options, values: read.values, errors: read.errors, result: null },
      { status: 400 },
    );
  const { search } = read;
  const check = await checkTargetExport(
    context.db,
    { municipalityCode: search.city, state: search.state, importId: search.importId },
    search.encoding,
  );
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
      {options.cities.length === 0 ? (
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
