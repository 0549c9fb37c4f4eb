/**
 * What leaves the building about renewal targets: printed renewal forms (one A4 page per
 * person, with the resident-register code as a barcode) and the CSV export. Both are
 * recorded: a print names every person printed, an export its filter.
 */
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { tokyoIsoString } from '../i18n/dates.ts';
import { MAX_PRINT_BATCH, type RenewalState } from './renewal.ts';
import { findRenewalsByIds, renewalExportPage } from './renewal.repository.server.ts';
import { registerCodeBarcodeSvg } from './renewal-barcode.server.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import {
  credentialsInTransaction,
  retryOnDuplicateId,
} from './target-credentials.service.server.ts';

/**
 * The forms to print, each with its barcode and the person's booking-site reservation ID and
 * password (decision 0055: given on the first print, the same on every later one); null when
 * an id is not the city's (not found): nothing prints and nothing is recorded.
 */
export async function printRenewalForms(
  db: Db,
  secrets: Secrets,
  actor: AuditActor,
  municipalityCode: string,
  ids: string[],
  now = new Date(),
) {
  const wanted = [...new Set(ids)].slice(0, MAX_PRINT_BATCH);
  return retryOnDuplicateId(() =>
    db.transaction().execute(async (trx) => {
      const rows = await findRenewalsByIds(trx, municipalityCode, wanted);
      // An id that is not the city's (another city's, or none): nothing prints, nothing is shown.
      if (rows.length < wanted.length) return null;
      const { credentials } = await credentialsInTransaction(
        trx,
        secrets,
        municipalityCode,
        rows.map((r) => r.id),
        now,
        'renewalTarget',
      );
      for (const row of rows)
        await recordAudit(trx, {
          ...actor,
          action: 'renewals.print',
          targetType: 'renewal_target',
          targetId: row.id,
          outcome: 'success',
          details: { batch: rows.length },
        });
      return rows.map((row) => {
        const given = credentials.find((c) => c.targetId === row.id);
        return {
          ...row,
          barcodeSvg: registerCodeBarcodeSvg(row.residentRegisterCode),
          reservationId: given?.reservationId ?? null,
          password: given?.password ?? null,
        };
      });
    }),
  );
}

const EXPORT_PAGE = 2_000;

/** The city's renewal targets page by page, for csvStream; the export is recorded first. */
export async function exportRenewals(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  filter: { state?: RenewalState; encoding: 'utf-8' | 'cp932' },
) {
  await recordAudit(db, {
    ...actor,
    action: 'renewals.export',
    outcome: 'success',
    details: { state: filter.state ?? 'all', encoding: filter.encoding },
  });
  return (async function* () {
    let after: string | undefined;
    for (;;) {
      const page = await renewalExportPage(
        db,
        municipalityCode,
        { state: filter.state, after },
        EXPORT_PAGE,
      );
      yield page.map((row) => ({
        ...row,
        closedAt: row.closedAt ? tokyoIsoString(new Date(row.closedAt)) : null,
      }));
      if (page.length < EXPORT_PAGE) return;
      after = page.at(-1)!.id;
    }
  })();
}
