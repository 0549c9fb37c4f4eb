/**
 * Reservation letters in batches (decision 0045). Staff choose targets by import, by the days
 * they were first imported, or by state; the preview says how many letters will print and how
 * many already have credentials. Printing is one transaction: credentials for those that have
 * none (the others keep theirs: the same password prints again), setup_done → letter_printed,
 * the batch row the print page reads, and one audit entry naming every target. A batch holds
 * at most LETTER_BATCH_MAX letters; a larger choice is refused with its count.
 */
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { qrCodeSvg } from '../letters/qr.server.ts';
import { bookingQrExpiry, signBookingToken } from '../reservations/booking-token.server.ts';
import { BOOKING_PATH, canSignIn } from '../reservations/booking.ts';
import type { PickupState } from './target.ts';
import type { LetterBatchFilter } from './target-letters.schema.ts';
import {
  countSelection,
  findCityName,
  findLetterBatch,
  findLetterRecipients,
  findRecentImports,
  findTargetCities,
  findTargetByReservationId,
  insertLetterBatch,
  lockSelection,
  updateStatePrinted,
} from './target-letters.repository.server.ts';
import {
  credentialsInTransaction,
  retryOnDuplicateId,
  unsealPassword,
} from './target-credentials.service.server.ts';
import { syncPickupTodos } from '../reservations/portal-booking.service.server.ts';

/** Letters in one batch: a print run a clerk checks and envelopes in one sitting (about 25 s
 * of password hashing when none has credentials yet). */
export const LETTER_BATCH_MAX = 200;
/** How long the staff member who printed a batch can open its print page again. */
export const LETTER_BATCH_VIEW_MINUTES = 60;

/** States whose letter prints: set up, or printed before (the same password again). */
const PRINTABLE: readonly PickupState[] = ['setup_done', 'letter_printed', 'booked'];

export type LetterBatchPreview = {
  /** Targets the choice matches, whatever their state. */
  matching: number;
  /** Letters that would print. */
  printable: number;
  /** Of those, how many already have a reservation ID and password (printed again as they are). */
  withCredentials: number;
  /** Still 'imported': their cards are not set up yet, so no letter. */
  notReady: number;
  /** Cancelled, issued or waiting for a re-issued card: no letter. */
  excluded: number;
  max: number;
};

export async function previewLetterBatch(
  db: Db,
  municipalityCode: string,
  filter: LetterBatchFilter,
): Promise<LetterBatchPreview> {
  const groups = await countSelection(db, municipalityCode, filter);
  const preview: LetterBatchPreview = {
    matching: 0,
    printable: 0,
    withCredentials: 0,
    notReady: 0,
    excluded: 0,
    max: LETTER_BATCH_MAX,
  };
  for (const g of groups) {
    const n = Number(g.count);
    preview.matching += n;
    if (PRINTABLE.includes(g.state)) {
      preview.printable += n;
      if (g.hasCredentials) preview.withCredentials += n;
    } else if (g.state === 'imported') preview.notReady += n;
    else preview.excluded += n;
  }
  return preview;
}

export type PrintOutcome =
  | { outcome: 'printed'; batchId: string; count: number }
  | { outcome: 'empty' }
  | { outcome: 'too_many'; count: number; max: number };

export async function printLetterBatch(
  db: Db,
  secrets: Secrets,
  actor: AuditActor & { actorId: string },
  municipalityCode: string,
  filter: LetterBatchFilter,
  now = new Date(),
): Promise<PrintOutcome> {
  return retryOnDuplicateId(() =>
    db.transaction().execute(async (trx): Promise<PrintOutcome> => {
      const chosen = await lockSelection(
        trx,
        municipalityCode,
        filter,
        PRINTABLE,
        LETTER_BATCH_MAX + 1,
      );
      if (chosen.length === 0) return { outcome: 'empty' };
      if (chosen.length > LETTER_BATCH_MAX) {
        const { printable } = await previewLetterBatch(db, municipalityCode, filter);
        return { outcome: 'too_many', count: printable, max: LETTER_BATCH_MAX };
      }
      const ids = chosen.map((t) => t.id);
      const { created } = await credentialsInTransaction(trx, secrets, municipalityCode, ids, now);
      const moved = await updateStatePrinted(trx, municipalityCode, ids);
      await syncPickupTodos(trx, municipalityCode, moved);
      const batchId = await insertLetterBatch(trx, {
        municipalityCode,
        targetIds: ids,
        filter: JSON.stringify(filter),
        createdBy: actor.actorId,
      });
      await recordAudit(trx, {
        ...actor,
        action: 'targets.letters_print',
        targetType: 'target_letter_batch',
        targetId: batchId,
        outcome: 'success',
        details: { count: ids.length, created, moved: moved.length, filter, targets: ids },
      });
      return { outcome: 'printed', batchId, count: ids.length };
    }),
  );
}

export type PrintedReservationLetter = {
  targetId: string;
  name: string;
  postalCode: string | null;
  address: string;
  reservationId: string;
  password: string;
  entryUrl: string;
  qrTarget: string;
  qrSvg: string;
};

export type LetterBatchForPrint =
  | { status: 'not_found' }
  | { status: 'expired' }
  | {
      status: 'ok';
      cityName: string;
      printedAt: Date;
      qrExpiresAt: Date;
      letters: PrintedReservationLetter[];
      /** Targets of the batch that can no longer sign in (cancelled since): not printed. */
      leftOut: number;
    };

/**
 * A batch's letters for its print page, to the staff member who printed it and for a short
 * while only (the batch's audit entry covers showing them). The credentials are read as they
 * are now, so a password reissued since prints its new value and QR code.
 */
export async function letterBatchForPrint(
  db: Db,
  secrets: Secrets,
  input: { batchId: string; staffAccountId: string; publicOrigin: string },
  now = new Date(),
): Promise<LetterBatchForPrint> {
  const batch = await findLetterBatch(db, input.batchId);
  if (!batch || batch.createdBy !== input.staffAccountId) return { status: 'not_found' };
  if (now.getTime() - batch.createdAt.getTime() > LETTER_BATCH_VIEW_MINUTES * 60_000)
    return { status: 'expired' };
  const rows = await findLetterRecipients(db, batch.municipalityCode, batch.targetIds);
  const qrExpiresAt = bookingQrExpiry(batch.createdAt);
  // The letter is in Japanese, so its addresses are the Japanese pages.
  const entryUrl = `${input.publicOrigin.replace(/\/+$/, '')}/ja${BOOKING_PATH}`;
  const printable = rows.filter((r) => canSignIn(r.state) && r.reservationId && r.passwordSealed);
  const letters = await Promise.all(
    printable.map(async (r) => {
      const token = signBookingToken(
        secrets,
        { municipalityCode: batch.municipalityCode, targetId: r.id, version: r.credentialsVersion },
        qrExpiresAt,
      );
      const qrTarget = `${entryUrl}/qr?token=${encodeURIComponent(token)}`;
      return {
        targetId: r.id,
        name: r.name,
        postalCode: r.postalCode,
        address: r.address,
        reservationId: r.reservationId!,
        password: unsealPassword(secrets, r.passwordSealed!),
        entryUrl,
        qrTarget,
        qrSvg: await qrCodeSvg(qrTarget),
      };
    }),
  );
  return {
    status: 'ok',
    cityName: await findCityName(db, batch.municipalityCode),
    printedAt: batch.createdAt,
    qrExpiresAt,
    letters,
    leftOut: batch.targetIds.length - letters.length,
  };
}

/**
 * The target a reservation ID names, for the reissue step's confirmation (audited: it shows
 * a name and address to staff).
 */
export async function findTargetForReissue(db: Db, actor: AuditActor, reservationId: string) {
  const target = await findTargetByReservationId(db, reservationId);
  await recordAudit(db, {
    ...actor,
    action: 'targets.reissue_lookup',
    targetType: target ? 'pickup_target' : null,
    targetId: target?.id ?? null,
    outcome: target ? 'success' : 'failure',
  });
  return target ?? null;
}

/** What the letters page offers to choose from: the cities with targets and their imports. */
export async function letterChoices(db: Db, city: string | null) {
  const cities = await findTargetCities(db);
  const chosen = cities.find((c) => c.municipalityCode === city) ?? cities[0];
  const imports = chosen ? await findRecentImports(db, chosen.municipalityCode, 20) : [];
  return { cities, city: chosen?.municipalityCode ?? null, imports };
}
