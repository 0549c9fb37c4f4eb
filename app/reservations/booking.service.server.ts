/**
 * Booking, changing and cancelling appointments (issue 12, decision 0048). Everything a
 * booking does happens in one transaction: check the rules, take the places with one
 * conditional update, record the booking and every reservation ID it holds, move each target
 * to "booked", and audit it. Refusals are answers, never half-done work. Since decision 0071
 * book()'s transaction is one statement, the database function booking_book: the service
 * reads and judges what needs no lock, the function does the rest in one round trip.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { BookingNeed, Database } from '../../db/schema.ts';
import { checkedAuditEntry, recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { queueBookingMail, type BookingMailer } from './booking-mail.server.ts';
import {
  DEFAULT_RULES,
  lastBookableDay,
  type AppointmentKind,
  type BookingRules,
} from './booking-rules.ts';
import { bookingDeadline } from './working-days.server.ts';
import {
  bookInOneStatement,
  bookingContext,
  cityClosedDays,
  findBookingByKey,
  findSlotForBooking,
  lockBooking,
  markCancelled,
  moveTargets,
  moveToSlot,
  releasePlaces,
  rulesFor,
  takePlaces,
} from './booking.repository.server.ts';
import { DEFAULT_HOLD_HOURS } from './waitlist.ts';
import { dropEntriesOfBooked, offerFreedPlaces } from './waitlist-offers.server.ts';
import { PICKUP_TODO_KIND, syncPickupTodos } from './portal-booking.service.server.ts';

export type Member = {
  targetId: string;
  verifiedBy: 'session' | 'password' | 'birth_date' | 'staff';
};

export type BookingRequest = {
  municipalityCode: string;
  kind: AppointmentKind;
  slotId: string;
  /** The signed-in target first, then the household's others. */
  members: readonly Member[];
  /** Null only when a clerk books for a caller without an address: no mail is sent. */
  email: string | null;
  phone?: string;
  locale: 'ja' | 'en';
  answers?: Record<string, unknown>;
  needs?: BookingNeed[];
  /** One per booking attempt (a hidden field of the confirm form): a double submit books once. */
  idempotencyKey: string;
  via: 'letter' | 'portal' | 'staff';
  /** A clerk booking during a phone call: the rules' deadline does not bind them. */
  staffId?: string | null;
};

export type SlotRefusal =
  | { outcome: 'slot_not_found' }
  /** Closed by staff, in an unpublished week, or of another kind. */
  | { outcome: 'slot_unavailable' }
  | { outcome: 'slot_past_deadline'; deadline: Date }
  | { outcome: 'slot_beyond_horizon'; lastDay: string }
  | { outcome: 'slot_full'; left: number };

export type BookingOutcome =
  | { outcome: 'booked'; bookingId: string; replayed: boolean }
  | SlotRefusal
  | { outcome: 'too_many'; max: number }
  | { outcome: 'no_members' }
  | { outcome: 'duplicate_member' }
  | { outcome: 'member_already_booked'; targetIds: string[] }
  | { outcome: 'member_cannot_book'; targetIds: string[] };

/** Accepting a waitlist offer that had expired meanwhile (decision 0054). */
export type OfferExpired = { outcome: 'offer_expired' };

/** The rules for a kind of appointment: the city's, or the defaults until staff set them. */
export async function bookingRules(
  db: Db | Transaction<Database>,
  municipalityCode: string,
  kind: AppointmentKind,
): Promise<BookingRules & { questions: unknown[]; waitlistHoldHours: number }> {
  return rulesOf(await rulesFor(db, municipalityCode, kind));
}

function rulesOf(row: Awaited<ReturnType<typeof rulesFor>>) {
  if (!row) return { ...DEFAULT_RULES, questions: [], waitlistHoldHours: DEFAULT_HOLD_HOURS };
  return {
    deadlineWorkingDays: row.deadlineWorkingDays,
    deadlineTime: row.deadlineTime.slice(0, 5),
    maxPeople: row.maxPeople,
    horizonDays: row.horizonDays,
    questions: Array.isArray(row.questions) ? row.questions : [],
    waitlistHoldHours: row.waitlistHoldHours,
  };
}

/** Whether a slot may be booked now under the rules; staff are bound by capacity only. */
export async function slotRefusal(
  trx: Transaction<Database>,
  request: { municipalityCode: string; kind: AppointmentKind; slotId: string; staff: boolean },
  rules: BookingRules,
  now: Date,
): Promise<SlotRefusal | null> {
  const slot = await findSlotForBooking(trx, request.municipalityCode, request.slotId);
  const closed = async (day: string) =>
    cityClosedDays(trx, request.municipalityCode, tokyoDate(now), day);
  return judgeSlot(slot, closed, request, rules, now);
}

/** slotRefusal's judgement of a slot already read; `closed` gives the city's closed days. */
async function judgeSlot(
  slot: Awaited<ReturnType<typeof findSlotForBooking>>,
  closedDays: (slotDay: string) => Promise<Set<string>> | Set<string>,
  request: { kind: AppointmentKind; staff: boolean },
  rules: BookingRules,
  now: Date,
): Promise<SlotRefusal | null> {
  if (!slot) return { outcome: 'slot_not_found' };
  if (slot.closedAt || slot.archivedAt || !slot.kinds.includes(request.kind))
    return { outcome: 'slot_unavailable' };
  if (!request.staff && !slot.published) return { outcome: 'slot_unavailable' };
  if (slot.startsAt.getTime() <= now.getTime()) return { outcome: 'slot_unavailable' };
  const day = tokyoDate(slot.startsAt);
  if (!request.staff) {
    const closed = await closedDays(day);
    const deadline = bookingDeadline(day, rules, closed);
    if (now.getTime() > deadline.getTime()) return { outcome: 'slot_past_deadline', deadline };
    const lastDay = lastBookableDay(rules, now);
    if (day > lastDay) return { outcome: 'slot_beyond_horizon', lastDay };
  }
  return null;
}

export function book(
  db: Db,
  actor: AuditActor,
  request: BookingRequest,
  now?: Date,
  mailer?: BookingMailer,
): Promise<BookingOutcome>;
/** Accepting a waitlist offer: its held places become the booking's (decision 0054). */
export function book(
  db: Db,
  actor: AuditActor,
  request: BookingRequest,
  now: Date,
  mailer: BookingMailer | undefined,
  options: { waitlistOffer: string },
): Promise<BookingOutcome | OfferExpired>;
export async function book(
  db: Db,
  actor: AuditActor,
  request: BookingRequest,
  now = new Date(),
  mailer?: BookingMailer,
  options: { waitlistOffer?: string } = {},
): Promise<BookingOutcome | OfferExpired> {
  const code = request.municipalityCode;
  const targetIds = request.members.map((m) => m.targetId);
  if (targetIds.length === 0) return { outcome: 'no_members' };
  if (new Set(targetIds).size !== targetIds.length) return { outcome: 'duplicate_member' };

  // One read, before any transaction (decision 0071): a booking made with this key (a replay
  // answers at once), the rules, the slot and the city's closed days up to the slot's day.
  // Under READ COMMITTED each statement sees what was committed when it starts, inside a
  // transaction or not; nothing here is locked, and everything it judges that can change
  // meanwhile is judged again under the locks: the key, the slot's room and closing.
  const context = await bookingContext(
    db,
    { code, kind: request.kind, slotId: request.slotId, idempotencyKey: request.idempotencyKey },
    tokyoDate(now),
  );
  if (context.replayId) return { outcome: 'booked', bookingId: context.replayId, replayed: true };
  const rules = rulesOf(context.rules);
  if (targetIds.length > rules.maxPeople) return { outcome: 'too_many', max: rules.maxPeople };
  const refused = await judgeSlot(
    context.slot,
    () => context.closedDays,
    { kind: request.kind, staff: Boolean(request.staffId) },
    rules,
    now,
  );
  if (refused) return refused;

  // The rest is one statement, booking_book (migration 20261203_0047): lock, replay, members,
  // places, booking, members, lifecycle, to-dos, audit. Alone it is its own transaction; with
  // work left for TypeScript (a waitlist offer accepted, entries in a line to drop, mail) it
  // runs inside one, and that work follows in the same transaction.
  const offer = options.waitlistOffer ?? null;
  const renewal = request.kind === 'cert_renewal';
  const bookingId = randomUUID();
  const places = targetIds.length;
  const statement = (q: Db | Transaction<Database>, alone: boolean) =>
    bookInOneStatement(
      q,
      request,
      {
        bookingId,
        // A 'cert_renewal' booking holds renewal targets (decision 0055), bookable while active.
        bookableState: renewal ? 'active' : 'letter_printed',
        offerId: offer,
        todoKind: PICKUP_TODO_KIND,
        now,
        alone,
      },
      checkedAuditEntry({
        ...actor,
        action: 'reservations.book',
        targetType: 'booking',
        targetId: bookingId,
        outcome: 'success',
        details: { slotId: request.slotId, places, via: request.via, targets: targetIds },
      }),
    );
  const answer = (
    row: Awaited<ReturnType<typeof bookInOneStatement>>,
  ): BookingOutcome | OfferExpired | null => {
    switch (row.outcome) {
      case 'booked':
        return { outcome: 'booked', bookingId: row.bookingId!, replayed: false };
      case 'replayed':
        return { outcome: 'booked', bookingId: row.bookingId!, replayed: true };
      case 'member_already_booked':
      case 'member_cannot_book':
        return { outcome: row.outcome, targetIds: row.targetIds ?? [] };
      case 'offer_expired':
        return { outcome: 'offer_expired' };
      case 'slot_full':
        return { outcome: 'slot_full', left: row.placesLeft ?? 0 };
      case 'needs_transaction':
        return null;
    }
  };

  try {
    if (!offer && !mailer) {
      const done = answer(await statement(db, true));
      if (done) return done;
    }
    return await db.transaction().execute(async (trx): Promise<BookingOutcome | OfferExpired> => {
      const row = await statement(trx, false);
      const outcome = answer(row);
      if (!outcome) throw new Error('booking_book asked for a transaction inside one');
      if (outcome.outcome !== 'booked' || outcome.replayed) return outcome;
      // Most people booking wait in no line: their entries are looked for only when there are.
      if (offer || row.waitlisted)
        await dropEntriesOfBooked(trx, code, targetIds, offer, mailer, now);
      if (mailer) await queueBookingMail(mailer, trx, code, bookingId, 'confirmed');
      return outcome;
    });
  } catch (error) {
    // Two submits of the same form raced past the first look: the loser finds the winner's.
    if (isUniqueViolation(error, 'booking_municipality_code_idempotency_key_key')) {
      const winner = await findBookingByKey(db, code, request.idempotencyKey);
      if (winner) return { outcome: 'booked', bookingId: winner.id, replayed: true };
    }
    if (
      isUniqueViolation(error, 'booking_member_one_active') ||
      isUniqueViolation(error, 'booking_renewal_member_one_active')
    )
      return { outcome: 'member_already_booked', targetIds };
    throw error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string } | null;
  return e?.code === '23505' && e.constraint_name === constraint;
}

export type CancelOutcome =
  | { outcome: 'cancelled'; targetIds: string[] }
  | { outcome: 'not_found' }
  | { outcome: 'already_cancelled' }
  | { outcome: 'past_deadline'; deadline: Date };

/**
 * Cancels a booking: frees exactly the places it took and puts every target it held back to
 * "letter printed". A resident may cancel until the deadline; staff at any time, with a reason.
 */
export async function cancelBooking(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  bookingId: string,
  by: { staffId: string | null; reason?: string | null },
  now = new Date(),
  mailer?: BookingMailer,
): Promise<CancelOutcome> {
  return db
    .transaction()
    .execute((trx) => cancelWithin(trx, actor, municipalityCode, bookingId, by, now, mailer));
}

/**
 * cancelBooking's work inside a transaction the caller holds: closing a whole day cancels
 * every booking of it in the one transaction that closes its slots (decision 0056).
 */
export async function cancelWithin(
  trx: Transaction<Database>,
  actor: AuditActor,
  municipalityCode: string,
  bookingId: string,
  by: { staffId: string | null; reason?: string | null },
  now: Date,
  mailer?: BookingMailer,
): Promise<CancelOutcome> {
  const booking = await lockBooking(trx, municipalityCode, bookingId);
  if (!booking) return { outcome: 'not_found' };
  if (booking.status === 'cancelled') return { outcome: 'already_cancelled' };
  if (!by.staffId) {
    const deadline = await deadlineOf(trx, municipalityCode, booking.kind, booking.slotId, now);
    if (deadline && now.getTime() > deadline.getTime())
      return { outcome: 'past_deadline', deadline };
  }
  await releasePlaces(trx, municipalityCode, booking.slotId, booking.places);
  const reason = by.reason?.trim() || null;
  const targetIds = await markCancelled(trx, municipalityCode, bookingId, {
    staffId: by.staffId,
    reason,
  });
  await moveTargets(trx, municipalityCode, targetIds, 'letter_printed', { by: by.staffId, reason });
  await syncPickupTodos(trx, municipalityCode, targetIds, now);
  if (mailer) await offerFreedPlaces(trx, mailer, municipalityCode, booking.slotId, now);
  await recordAudit(trx, {
    ...actor,
    action: 'reservations.cancel',
    targetType: 'booking',
    targetId: bookingId,
    outcome: 'success',
    details: { slotId: booking.slotId, places: booking.places, ...(reason ? { reason } : {}) },
  });
  if (mailer) await queueBookingMail(mailer, trx, municipalityCode, bookingId, 'cancelled');
  return { outcome: 'cancelled', targetIds };
}

async function deadlineOf(
  trx: Transaction<Database>,
  code: string,
  kind: AppointmentKind,
  slotId: string,
  now: Date,
): Promise<Date | null> {
  const slot = await findSlotForBooking(trx, code, slotId);
  if (!slot) return null;
  const rules = await bookingRules(trx, code, kind);
  const day = tokyoDate(slot.startsAt);
  const closed = await cityClosedDays(trx, code, tokyoDate(now), day);
  return bookingDeadline(day, rules, closed);
}

export type ChangeOutcome =
  | { outcome: 'changed' }
  | { outcome: 'not_found' }
  | { outcome: 'already_cancelled' }
  | { outcome: 'same_slot' }
  | { outcome: 'past_deadline'; deadline: Date }
  | SlotRefusal;

/**
 * Moves a booking to another slot. The new places are taken before the old ones are given
 * back, in one transaction: the resident never holds nothing, and a full new slot leaves the
 * booking as it was.
 */
export async function changeBooking(
  db: Db,
  actor: AuditActor,
  municipalityCode: string,
  bookingId: string,
  newSlotId: string,
  by: { staffId: string | null },
  now = new Date(),
  mailer?: BookingMailer,
): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
    const booking = await lockBooking(trx, municipalityCode, bookingId);
    if (!booking) return { outcome: 'not_found' };
    if (booking.status === 'cancelled') return { outcome: 'already_cancelled' };
    if (booking.slotId === newSlotId) return { outcome: 'same_slot' };
    const staff = Boolean(by.staffId);
    if (!staff) {
      const deadline = await deadlineOf(trx, municipalityCode, booking.kind, booking.slotId, now);
      if (deadline && now.getTime() > deadline.getTime())
        return { outcome: 'past_deadline', deadline };
    }
    const rules = await bookingRules(trx, municipalityCode, booking.kind);
    const refused = await slotRefusal(
      trx,
      { municipalityCode, kind: booking.kind, slotId: newSlotId, staff },
      rules,
      now,
    );
    if (refused) return refused;
    const taken = await takePlaces(trx, municipalityCode, newSlotId, booking.places);
    if (!taken) {
      const slot = await findSlotForBooking(trx, municipalityCode, newSlotId);
      return { outcome: 'slot_full', left: slot ? Math.max(0, slot.capacity - slot.taken) : 0 };
    }
    await releasePlaces(trx, municipalityCode, booking.slotId, booking.places);
    await moveToSlot(trx, municipalityCode, bookingId, newSlotId);
    if (mailer) await offerFreedPlaces(trx, mailer, municipalityCode, booking.slotId, now);
    await recordAudit(trx, {
      ...actor,
      action: 'reservations.change',
      targetType: 'booking',
      targetId: bookingId,
      outcome: 'success',
      details: { from: booking.slotId, to: newSlotId, places: booking.places },
    });
    if (mailer) await queueBookingMail(mailer, trx, municipalityCode, bookingId, 'changed');
    return { outcome: 'changed' };
  });
}
