import type { LoaderFunctionArgs } from '@remix-run/node';
import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css';
import stylesHref from '../ui/styles.css';
import { plainPage } from '../platform/plain-page.server.ts';
import { requireStaff, type StaffAccess } from '../identity/guards.server.ts';
import { csvStream } from '../csv/csv-stream.server.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/locales.ts';
import { RENEWAL_STATES, type RenewalState } from '../targets/renewal.ts';
import { RENEWAL_EXPORT_HEADER, renewalCsvRow } from '../targets/renewal-csv.ts';
import { exportRenewals } from '../targets/renewal-output.service.server.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';

/**
 * The city's renewal targets as CSV: UTF-8 with a BOM by default, CP932 (`?encoding=cp932`)
 * for the CS terminal; `?state=` narrows to one status. The header is the list's own (so the
 * file re-imports), then status, reason, note and when closed. Streamed page by page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale: Locale = isLocale(params.lang) ? params.lang : defaultLocale;
  let staff: StaffAccess;
  try {
    staff = await requireStaff(request, context, 'targets:export');
  } catch (error) {
    if (error instanceof Response && error.status === 403)
      return new Response(plainPage(locale, 'forbidden', [tokensHref, stylesHref]), {
        status: 403,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      });
    throw error;
  }
  const url = new URL(request.url);
  const stateParam = url.searchParams.get('state');
  const state = RENEWAL_STATES.find((s) => s === stateParam) as RenewalState | undefined;
  const encoding = url.searchParams.get('encoding') === 'cp932' ? 'cp932' : 'utf-8';
  const clerk = clerkOf(staff, context.env);
  const batches = await exportRenewals(context.db, clerk.actor, clerk.municipalityCode, {
    state,
    encoding,
  });
  const t = translator(locale);
  const word = (key: string) => t(`adminRenewals:${key}`);
  async function* rows() {
    for await (const batch of batches) yield batch.map((r) => renewalCsvRow(r, word));
  }
  const filename = `renewals-${tokyoDate(new Date()).replaceAll('-', '')}.csv`;
  return new Response(csvStream(RENEWAL_EXPORT_HEADER, rows(), encoding), {
    headers: {
      'Content-Type': `text/csv; charset=${encoding === 'cp932' ? 'shift_jis' : 'utf-8'}`,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
