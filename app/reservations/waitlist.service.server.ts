/**
 * The waitlist of a full slot (issue 12, decision 0054): joining the line, leaving it, and
 * answering an offer. Accepting books through book() (the same rules, members' lifecycle,
 * audit and confirmation mail as any booking) with the held places instead of new ones.
 * Offers expire by the sweep job (jobs/handlers/booking-waitlist.ts), exactly once: each
 * offer is ended under its row lock with a conditional update, other workers skip it.
 */
import type { Db } from '../../db/connection.ts';
import type { BookingNeed } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import type { AppointmentKind } from './booking-rules.ts';
import {
  activeMemberships,
  findSlotForBooking,
  lockTargets,
  releasePlaces,
} from './booking.repository.server.ts';
import {
  book,
  bookingRules,
  slotRefusal,
  type BookingOutcome,
  type SlotRefusal,
} from './booking.service.server.ts';
import {
  endEntry,
  entryByJoinKey,
  insertEntry,
  lockEntry,
  lockedDueOffers,
  slotsWithRoomAndLine,
  type WaitlistMember,
} from './waitlist.repository.server.ts';
import { offerFreedPlaces, releaseHold } from './waitlist-offers.server.ts';

export type JoinRequest = {
  municipalityCode: string;
  kind: AppointmentKind;
  slotId: string;
  /** The signed-in target first, then the household's others. */
  members: readonly WaitlistMember[];
  email: string;
  phone?: string;
  locale: 'ja' | 'en';
  answers?: Record<string, unknown>;
  needs?: BookingNeed[];
  /** One per join form (a hidden field): a double submit joins once. */
  joinKey: string;
};

export type JoinOutcome =
  | { outcome: 'joined'; entryId: string; replayed: boolean }
  /** Places came free meanwhile: book instead. */
  | { outcome: 'slot_has_room' }
  | { outcome: 'already_waiting' }
  | Exclude<SlotRefusal, { outcome: 'slot_full' }>
  | { outcome: 'too_many'; max: number }
  | { outcome: 'no_members' }
  | { outcome: 'duplicate_member' }
  | { outcome: 'member_already_booked'; targetIds: string[] }
  | { outcome: 'member_cannot_book'; targetIds: string[] };

const uniqueViolation = (error: unknown, constraint: string) => {
  const e = error as { code?: string; constraint_name?: string } | null;
  return e?.code === '23505' && e.constraint_name === constraint;
};

/** Joins the line of a full slot with everything the booking will need. */
export async function joinWaitlist(
  db: Db,
  actor: AuditActor,
  request: JoinRequest,
  now = new Date(),
): Promise<JoinOutcome> {
  const code = request.municipalityCode;
  const targetIds = request.members.map((m) => m.targetId);
  if (targetIds.length === 0) return { outcome: 'no_members' };
  if (new Set(targetIds).size !== targetIds.length) return { outcome: 'duplicate_member' };
  const replay = await entryByJoinKey(db, code, request.joinKey);
  if (replay) return { outcome: 'joined', entryId: replay.id, replayed: true };
  try {
    return await db.transaction().execute(async (trx): Promise<JoinOutcome> => {
      const rules = await bookingRules(trx, code, request.kind);
      if (targetIds.length > rules.maxPeople) return { outcome: 'too_many', max: rules.maxPeople };
      const refused = await slotRefusal(trx, { ...request, staff: false }, rules, now);
      if (refused && refused.outcome !== 'slot_full') return refused;
      const targets = await lockTargets(trx, code, targetIds);
      const winner = await entryByJoinKey(trx, code, request.joinKey);
      if (winner) return { outcome: 'joined', entryId: winner.id, replayed: true };
      const already = await activeMemberships(trx, code, targetIds);
      if (already.length > 0)
        return { outcome: 'member_already_booked', targetIds: already.map((m) => m.targetId) };
      const cannot = targetIds.filter(
        (id) => targets.find((t) => t.id === id)?.state !== 'letter_printed',
      );
      if (cannot.length > 0) return { outcome: 'member_cannot_book', targetIds: cannot };
      const slot = await findSlotForBooking(trx, code, request.slotId);
      if (slot && slot.capacity - slot.taken >= targetIds.length)
        return { outcome: 'slot_has_room' };
      const entryId = await insertEntry(trx, {
        municipalityCode: code,
        slotId: request.slotId,
        kind: request.kind,
        targetId: targetIds[0]!,
        members: request.members,
        email: request.email,
        phone: request.phone ?? '',
        locale: request.locale,
        answers: request.answers ?? {},
        needs: request.needs ?? [],
        joinKey: request.joinKey,
      });
      await recordAudit(trx, {
        ...actor,
        action: 'reservations.waitlist_join',
        targetType: 'booking_waitlist',
        targetId: entryId,
        outcome: 'success',
        details: { slotId: request.slotId, places: targetIds.length, targets: targetIds },
      });
      return { outcome: 'joined', entryId, replayed: false };
    });
  } catch (error) {
    if (uniqueViolation(error, 'booking_waitlist_municipality_code_join_key_key')) {
      const winner = await entryByJoinKey(db, code, request.joinKey);
      if (winner) return { outcome: 'joined', entryId: winner.id, replayed: true };
    }
    if (uniqueViolation(error, 'booking_waitlist_one_live')) return { outcome: 'already_waiting' };
    throw error;
  }
}

/** A waitlist entry as the resident who joined it names it (nobody else may answer it). */
export type ResidentsEntry = { code: string; targetId: string; entryId: string };

export type LeaveOutcome = { outcome: 'left' | 'declined' } | { outcome: 'not_found' };

/**
 * The resident leaves the line, or declines an offer: held places go back and the next in
 * line is offered them (with a mailer). Only the target who joined may do it.
 */
export async function leaveWaitlist(
  db: Db,
  actor: AuditActor,
  { code, targetId, entryId }: ResidentsEntry,
  mailer?: BookingMailer,
  now = new Date(),
): Promise<LeaveOutcome> {
  return db.transaction().execute(async (trx): Promise<LeaveOutcome> => {
    const entry = await lockEntry(trx, code, entryId);
    if (!entry || entry.targetId !== targetId) return { outcome: 'not_found' };
    if (entry.status !== 'waiting' && entry.status !== 'offered') return { outcome: 'not_found' };
    const status = entry.status === 'offered' ? 'declined' : 'left';
    await endEntry(trx, code, entryId, status, [entry.status]);
    if (entry.status === 'offered') await releaseHold(trx, code, entry, mailer, now);
    await recordAudit(trx, {
      ...actor,
      action: `reservations.waitlist_${status === 'left' ? 'leave' : 'decline'}`,
      targetType: 'booking_waitlist',
      targetId: entryId,
      outcome: 'success',
      details: { slotId: entry.slotId, places: entry.places },
    });
    return { outcome: status };
  });
}

export type AcceptOutcome =
  | { outcome: 'booked'; bookingId: string; replayed: boolean }
  | { outcome: 'not_found' }
  /** Too late: the offer expired (or was ended) before the resident confirmed. */
  | { outcome: 'offer_expired' }
  | Exclude<BookingOutcome, { outcome: 'booked' }>;

/**
 * Accepts a held offer: book() with the entry's people, contact and answers, consuming the
 * held places instead of taking new ones. A refusal for any other reason (a member booked
 * elsewhere meanwhile) ends the entry and gives the places to the next in line.
 */
export async function acceptOffer(
  db: Db,
  actor: AuditActor,
  { code, targetId, entryId }: ResidentsEntry,
  mailer?: BookingMailer,
  now = new Date(),
): Promise<AcceptOutcome> {
  const entry = await db
    .selectFrom('bookingWaitlist')
    .selectAll()
    .where('municipalityCode', '=', code)
    .where('id', '=', entryId)
    .executeTakeFirst();
  if (!entry || entry.targetId !== targetId) return { outcome: 'not_found' };
  if (entry.status === 'accepted' && entry.bookingId)
    return { outcome: 'booked', bookingId: entry.bookingId, replayed: true };
  if (entry.status !== 'offered' || !entry.offerExpiresAt || entry.offerExpiresAt <= now)
    return { outcome: 'offer_expired' };
  const outcome = await book(
    db,
    actor,
    {
      municipalityCode: code,
      kind: entry.kind,
      slotId: entry.slotId,
      members: entry.members,
      email: entry.email,
      phone: entry.phone,
      locale: entry.locale,
      answers: entry.answers,
      needs: entry.needs,
      idempotencyKey: `waitlist:${entry.id}`,
      via: 'letter',
    },
    now,
    mailer,
    { waitlistOffer: entry.id },
  );
  if (outcome.outcome === 'booked' || outcome.outcome === 'offer_expired') return outcome;
  await db.transaction().execute(async (trx) => {
    const locked = await lockEntry(trx, code, entryId);
    if (locked?.status !== 'offered') return;
    await endEntry(trx, code, entryId, 'dropped', ['offered']);
    await releaseHold(trx, code, locked, mailer, now);
  });
  return outcome;
}

/**
 * Ends every offer whose time is up, gives its places back and offers them to the next in
 * line. Locked rows are skipped, so two workers never end (or release) one offer twice.
 */
export async function expireOffers(
  db: Db,
  mailer: BookingMailer,
  now = new Date(),
  limit = 100,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await lockedDueOffers(trx, now, limit);
    const slots = new Map<string, { code: string; slotId: string }>();
    for (const offer of due) {
      await endEntry(trx, offer.municipalityCode, offer.id, 'expired', ['offered']);
      await releasePlaces(trx, offer.municipalityCode, offer.slotId, offer.places);
      await recordAudit(trx, {
        actorType: 'system',
        actorId: null,
        onBehalfOfResidentId: null,
        ip: null,
        action: 'reservations.waitlist_expire',
        targetType: 'booking_waitlist',
        targetId: offer.id,
        outcome: 'success',
        details: { slotId: offer.slotId, places: offer.places },
      });
      slots.set(`${offer.municipalityCode}:${offer.slotId}`, {
        code: offer.municipalityCode,
        slotId: offer.slotId,
      });
    }
    for (const { code, slotId } of slots.values())
      await offerFreedPlaces(trx, mailer, code, slotId, now);
    return due.length;
  });
}

/**
 * The waitlist's sweep (every minute): expire offers, then offer free places of slots with a
 * line (places freed by a change that had no mailer, or a capacity raised by staff).
 */
export async function sweepWaitlist(db: Db, mailer: BookingMailer, now = new Date()) {
  const expired = await expireOffers(db, mailer, now);
  let offered = 0;
  for (const slot of await slotsWithRoomAndLine(db, now))
    offered += (
      await db
        .transaction()
        .execute((trx) => offerFreedPlaces(trx, mailer, slot.municipalityCode, slot.id, now))
    ).length;
  return { expired, offered };
}
