/**
 * The export page's choices (decision 0047), read from the address the page and the CSV
 * share: the city, optionally one state and one import, and the encoding. Browser-safe.
 */
import { z } from 'zod';
import { PICKUP_STATES, type PickupState } from './target.ts';

export const EXPORT_FIELDS = ['city', 'state', 'importId', 'encoding'] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];
/** What the person chose, for the form's default values. */
export type ExportValues = Record<ExportField, string>;
/** Field name → i18n key (namespace adminTargetExport). */
export type ExportErrors = Partial<Record<ExportField, string>>;

export const EXPORT_ENCODINGS = ['utf-8', 'cp932'] as const;
type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];

const choice = <T extends readonly [string, ...string[]]>(options: T) =>
  z.union([z.literal(''), z.enum(options)], { error: 'errors.choose' });

const ExportSearchSchema = z.object({
  city: z.string().regex(/^[0-9]{6}$/, 'errors.city'),
  state: choice(PICKUP_STATES),
  importId: z.union([z.literal(''), z.uuid()], { error: 'errors.choose' }),
  encoding: z.enum(EXPORT_ENCODINGS, { error: 'errors.choose' }),
});

export type ExportSearch = {
  city: string;
  state: PickupState | undefined;
  importId: string | undefined;
  encoding: ExportEncoding;
};

/** The choices the page offers: cities with targets and their confirmed imports. */
export type ExportChoices = {
  cities: string[];
  imports: { id: string; municipalityCode: string }[];
};

export function readExportSearch(
  params: URLSearchParams,
  choices: ExportChoices,
):
  | { ok: true; values: ExportValues; search: ExportSearch }
  | { ok: false; values: ExportValues; errors: ExportErrors } {
  const values = Object.fromEntries(
    EXPORT_FIELDS.map((name) => [name, (params.get(name) ?? '').trim()]),
  ) as ExportValues;
  values.encoding ||= 'utf-8';
  const parsed = ExportSearchSchema.safeParse(values);
  const errors: ExportErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[issue.path[0] as ExportField] ??= issue.message;
  if (!errors.city && !choices.cities.includes(values.city)) errors.city = 'errors.city';
  const chosenImport = choices.imports.find((i) => i.id === values.importId);
  if (!errors.importId && values.importId && !chosenImport) errors.importId = 'errors.choose';
  if (
    !errors.importId &&
    !errors.city &&
    chosenImport &&
    chosenImport.municipalityCode !== values.city
  )
    errors.importId = 'errors.importCity';
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, values, errors };
  const v = parsed.data;
  return {
    ok: true,
    values,
    search: {
      city: v.city,
      state: v.state || undefined,
      importId: v.importId || undefined,
      encoding: v.encoding,
    },
  };
}

/** `?city=142107&encoding=cp932`: the non-empty choices, for the download link. */
export function exportSearchString(search: ExportSearch): string {
  const params = new URLSearchParams({ city: search.city });
  if (search.state) params.set('state', search.state);
  if (search.importId) params.set('importId', search.importId);
  params.set('encoding', search.encoding);
  return `?${params.toString()}`;
}
