/**
 * The export page's choices (decision 0047), read from the address the page and the CSV
 * share: optionally one state and one import, and the encoding. The city is the clerk's,
 * never chosen (an old address's `city` is ignored). Browser-safe.
 */
import { z } from 'zod';
import { PICKUP_STATES, type PickupState } from './target.ts';

export const EXPORT_FIELDS = ['state', 'importId', 'encoding'] as const;
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
  state: choice(PICKUP_STATES),
  importId: z.union([z.literal(''), z.uuid()], { error: 'errors.choose' }),
  encoding: z.enum(EXPORT_ENCODINGS, { error: 'errors.choose' }),
});

export type ExportSearch = {
  state: PickupState | undefined;
  importId: string | undefined;
  encoding: ExportEncoding;
};

/** Whether an address carries a choice to check (the form always sends the encoding). */
export function hasExportChoice(params: URLSearchParams): boolean {
  return EXPORT_FIELDS.some((name) => params.has(name));
}

/**
 * The choices as typed. Whether the import is the clerk's city's is the export service's
 * question (another city's import is not found).
 */
export function readExportSearch(
  params: URLSearchParams,
):
  | { ok: true; values: ExportValues; search: ExportSearch }
  | { ok: false; values: ExportValues; errors: ExportErrors } {
  const values = Object.fromEntries(
    EXPORT_FIELDS.map((name) => [name, (params.get(name) ?? '').trim()]),
  ) as ExportValues;
  values.encoding ||= 'utf-8';
  const parsed = ExportSearchSchema.safeParse(values);
  const errors: ExportErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as ExportField] ??= issue.message;
    return { ok: false, values, errors };
  }
  const v = parsed.data;
  return {
    ok: true,
    values,
    search: {
      state: v.state || undefined,
      importId: v.importId || undefined,
      encoding: v.encoding,
    },
  };
}

/** `?state=issued&encoding=cp932`: the non-empty choices, for the download link. */
export function exportSearchString(search: ExportSearch): string {
  const params = new URLSearchParams();
  if (search.state) params.set('state', search.state);
  if (search.importId) params.set('importId', search.importId);
  params.set('encoding', search.encoding);
  return `?${params.toString()}`;
}
