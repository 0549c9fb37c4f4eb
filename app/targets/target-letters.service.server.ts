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
  cityHasTargets,
  countSelection,
  findCityName,
  findLetterBatch,
  findLetterRecipients,
  findRecentImports,
  findTargetByReservationId,
  findTargetOfCity,
  insertLetterBatch,
  lockSelection,
  updateStatePrinted,
} from './target-letters.repository.server.ts';
import { findImport } from './target-import.repository.server.ts';
import {
  credentialsInTransaction,
  reissueCredentials,
  retryOnDuplicateId,
  unsealPassword,
  type LetterCredentials,
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

/**
 * Whether the import or the target a choice names is the city's: an id of another city (or
 * of nothing) is not found, never an empty batch (decision 0045, addendum).
 */
export async function choiceOfCity(
  db: Db,
  municipalityCode: string,
  filter: LetterBatchFilter,
): Promise<boolean> {
  if (filter.by === 'import')
    return (await findImport(db, municipalityCode, filter.importId)) !== undefined;
  if (filter.by === 'target')
    return (await findTargetOfCity(db, municipalityCode, filter.targetId)) !== undefined;
  return true;
}

/** How many letters a choice prints; null when it names another city's import or target. */
export async function previewLetterBatch(
  db: Db,
  municipalityCode: string,
  filter: LetterBatchFilter,
): Promise<LetterBatchPreview | null> {
  if (!(await choiceOfCity(db, municipalityCode, filter))) return null;
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
  | { outcome: 'not_found' }
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
  if (!(await choiceOfCity(db, municipalityCode, filter))) return { outcome: 'not_found' };
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
        const preview = await previewLetterBatch(db, municipalityCode, filter);
        return { outcome: 'too_many', count: preview?.printable ?? 0, max: LETTER_BATCH_MAX };
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
 * A batch's letters for its print page, to the staff member who printed it, in their city,
 * and for a short while only (the batch's audit entry covers showing them). The credentials
 * are read as they are now, so a password reissued since prints its new value and QR code.
 */
export async function letterBatchForPrint(
  db: Db,
  secrets: Secrets,
  input: {
    municipalityCode: string;
    batchId: string;
    staffAccountId: string;
    publicOrigin: string;
  },
  now = new Date(),
): Promise<LetterBatchForPrint> {
  const batch = await findLetterBatch(db, input.municipalityCode, input.batchId);
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
 * The city's target a reservation ID names, for the reissue step's confirmation (audited: it
 * shows a name and address to staff). Another city's reservation ID is not found.
 */
export async function findTargetForReissue(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  reservationId: string,
) {
  const target = await findTargetByReservationId(db, municipalityCode, reservationId);
  await recordAudit(db, {
    ...actor,
    action: 'targets.reissue_lookup',
    targetType: target ? 'pickup_target' : null,
    targetId: target?.id ?? null,
    outcome: target ? 'success' : 'failure',
  });
  return target ?? null;
}

export type ReissueOutcome =
  | { outcome: 'reissued'; credentials: LetterCredentials }
  | { outcome: 'not_found' }
  | { outcome: 'no_credentials' };

/**
 * A new password for the city's target: another city's target (or none) is not found; one
 * that never had a letter has no credentials to reissue.
 */
export async function reissueLetter(
  db: Db,
  secrets: Secrets,
  actor: AuditActor,
  municipalityCode: string,
  targetId: string,
): Promise<ReissueOutcome> {
  if (!(await findTargetOfCity(db, municipalityCode, targetId))) return { outcome: 'not_found' };
  const credentials = await reissueCredentials(db, secrets, actor, municipalityCode, targetId);
  return credentials ? { outcome: 'reissued', credentials } : { outcome: 'no_credentials' };
}

/** What the letters page offers the clerk's city: whether it has targets, and its imports. */
export async function letterChoices(db: Db, municipalityCode: string) {
  const [hasTargets, imports] = await Promise.all([
    cityHasTargets(db, municipalityCode),
    findRecentImports(db, municipalityCode, 20),
  ]);
  return { hasTargets, imports };
}
