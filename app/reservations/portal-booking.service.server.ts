/**
 * Booking from the portal (issue 12, decision 0055). A resident signed in to the portal with a
 * passkey whose card is a pickup target books without the letter: the to-do "Book your card
 * pickup" links to /{lang}/reservations/portal, which opens a booking session for that target
 * (via 'portal') and goes on into the ordinary booking flow.
 *
 * The match: the same city, the resident's card manufacture number equal to the target's, and
 * the same date of birth; cancelled targets do not count. Anything but exactly one target,
 * matched by exactly one resident, is no match: two targets or two residents are "ambiguous"
 * and the page sends the resident to the counter, never to a guess.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { PickupState } from '../targets/target.ts';
import { closeOpenTodo, findOpenTodoOfKind } from '../todos/todo.repository.server.ts';
import { createSystemTodo } from '../todos/todo.service.server.ts';
import { createBookingSession } from './booking-session.server.ts';
import { BOOKING_PATH } from './booking.ts';
import {
  findResidentsOfTargets,
  findTargetsOfResident,
  hasTodoOfKindSince,
} from './portal-booking.repository.server.ts';

type Conn = Db | Transaction<Database>;

/** The to-do's kind: one open per resident (todo_open_kind_idx). */
export const PICKUP_TODO_KIND = 'book_card_pickup';
/** Where the to-do links: the portal's way into the booking site (localized when shown). */
export const PORTAL_BOOKING_PATH = `${BOOKING_PATH}/portal`;

/** States in which the portal opens a booking session: the letter exists, or it is booked. */
const PORTAL_STATES: readonly PickupState[] = ['letter_printed', 'booked'];
/** The target can be booked now: the to-do is given. */
const TODO_OPEN_STATE: PickupState = 'letter_printed';
/** The to-do is done once booked or handed over, dismissed once the card will not come. */
const TODO_CLOSING: Partial<Record<PickupState, 'done' | 'dismissed'>> = {
  booked: 'done',
  issued: 'done',
  cancelled: 'dismissed',
  reissued: 'dismissed',
};

export type PortalTarget = {
  municipalityCode: string;
  id: string;
  state: PickupState;
  credentialsVersion: number;
  reservationId: string | null;
  /** When the target entered its state (a to-do older than this is not this state's). */
  stateChangedAt: Date;
};

export type PortalMatch =
  | { outcome: 'found'; target: PortalTarget }
  /** No card on record, or no target for it: this resident has no card waiting. */
  | { outcome: 'not_target' }
  /** Two targets match the card, or two residents match the target: the counter sorts it out. */
  | { outcome: 'ambiguous' };

/** The one pickup target a resident's card matches (the rule at the top of this file). */
export async function matchPickupTarget(db: Conn, residentId: string): Promise<PortalMatch> {
  const rows = await findTargetsOfResident(db, residentId);
  if (rows.length === 0) return { outcome: 'not_target' };
  const [row] = rows;
  if (rows.length > 1 || !row || Number(row.residents) !== 1) return { outcome: 'ambiguous' };
  const { residents: _, ...target } = row;
  return { outcome: 'found', target };
}

export type PortalBookingStart =
  | { outcome: 'signed_in'; token: string; targetId: string; booked: boolean }
  | { outcome: 'not_target' }
  | { outcome: 'ambiguous' }
  /** A target whose card cannot be booked for now (not printed yet, handed over, re-issued). */
  | { outcome: 'cannot_book'; state: PickupState };

/**
 * Opens a booking session (via 'portal') for the resident's matched target, recorded as a
 * booking sign-in by the resident. Refusals are recorded too, with their reason.
 */
export async function startPortalBooking(
  db: Db,
  actor: AuditActor,
  residentId: string,
  now = new Date(),
): Promise<PortalBookingStart> {
  const match = await matchPickupTarget(db, residentId);
  const target = match.outcome === 'found' ? match.target : null;
  const bookable = target && PORTAL_STATES.includes(target.state) && target.reservationId;
  const record = (outcome: 'success' | 'failure', reason?: string) =>
    recordAudit(db, {
      ...actor,
      action: 'booking.sign_in',
      targetType: target ? 'pickup_target' : null,
      targetId: target?.id ?? null,
      outcome,
      details: { via: 'portal', ...(reason ? { reason } : {}) },
    });
  if (!target || !bookable) {
    const reason = target ? `state_${target.state}` : match.outcome;
    await record('failure', reason);
    if (target) return { outcome: 'cannot_book', state: target.state };
    return { outcome: match.outcome === 'ambiguous' ? 'ambiguous' : 'not_target' };
  }
  const { token } = await createBookingSession(
    db,
    {
      municipalityCode: target.municipalityCode,
      targetId: target.id,
      credentialsVersion: target.credentialsVersion,
    },
    'portal',
    now,
  );
  await record('success');
  return { outcome: 'signed_in', token, targetId: target.id, booked: target.state === 'booked' };
}

const PICKUP_TODO = {
  kind: PICKUP_TODO_KIND,
  titleJa: 'マイナンバーカードの受け取りを予約',
  titleEn: 'Book your card pickup',
  descriptionJa:
    'カードの準備ができました。受け取る窓口と日時を予約してください。お知らせの予約番号とパスワードがなくても、ここから予約できます。',
  descriptionEn:
    'Your card is ready. Book a counter and a time to collect it. You can book from here without the reservation ID and password from the letter.',
  dueDate: null,
  actionUrl: PORTAL_BOOKING_PATH,
};

/**
 * Brings the residents' to-dos in line with these targets' states, inside the caller's
 * transaction (called wherever a target's state moves): a target that can be booked gives its
 * one matched resident the to-do (once: one open per kind), a booked, handed-over, cancelled
 * or re-issued one closes it. Nothing for a target no resident matches, or matches ambiguously.
 */
export async function syncPickupTodos(
  trx: Conn,
  municipalityCode: string,
  targetIds: readonly string[],
  now = new Date(),
): Promise<void> {
  if (targetIds.length === 0) return;
  const rows = await findResidentsOfTargets(trx, municipalityCode, [...targetIds]);
  for (const row of rows) {
    const closing = TODO_CLOSING[row.state];
    if (closing) {
      const open = await findOpenTodoOfKind(trx, row.residentId, PICKUP_TODO_KIND);
      if (open) await closeOpenTodo(trx, row.residentId, open.id, closing, now);
    } else if (row.state === TODO_OPEN_STATE) {
      const match = await matchPickupTarget(trx, row.residentId);
      if (match.outcome === 'found' && match.target.id === row.targetId)
        await createSystemTodo(trx, { ...PICKUP_TODO, residentId: row.residentId });
    }
  }
}

/** The residents a target is the card of (same city, card number and date of birth). */
export async function residentsOfTarget(
  trx: Conn,
  municipalityCode: string,
  targetId: string,
): Promise<string[]> {
  const rows = await findResidentsOfTargets(trx, municipalityCode, [targetId]);
  return rows.map((r) => r.residentId);
}

/**
 * Catches a resident's to-do up with their target (decision 0055 addendum): a resident whose
 * card number was recorded (or who registered) after the target's letter printed gets the
 * to-do here, when they open their portal home or to-do list. The card number comes from the
 * register import (upsertResidents, or SQL loads of the register), never through one service
 * that could sync it, so the reader's side is the one place every writer passes.
 * Given once per entry into "letter printed": a to-do of the kind created since then (even
 * one the resident closed) means nothing is given again.
 */
export async function catchUpPickupTodo(db: Db, residentId: string): Promise<boolean> {
  const match = await matchPickupTarget(db, residentId);
  if (match.outcome !== 'found' || match.target.state !== TODO_OPEN_STATE) return false;
  const since = match.target.stateChangedAt;
  if (await hasTodoOfKindSince(db, residentId, PICKUP_TODO_KIND, since)) return false;
  return (await createSystemTodo(db, { ...PICKUP_TODO, residentId })).created;
}
