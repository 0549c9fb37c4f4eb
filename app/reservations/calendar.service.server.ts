/**
 * Slots and published weeks as staff make them (issue 12, decision 0051): slots come from a
 * facility's hours, slot length and places per slot, a week at a time and idempotently;
 * publishing a week makes it visible to residents; a slot can be closed (cancelling its
 * bookings through the booking service) or given another number of places, never fewer than
 * are taken. Booking rules per kind live here too.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { addDays, tokyoDate, tokyoDayStart } from '../i18n/dates.ts';
import { bookingRules, cancelBooking, cancelWithin } from './booking.service.server.ts';
import type { BookingMailer } from './booking-mail.server.ts';
import { APPOINTMENT_KINDS, weekStartOf, type AppointmentKind } from './booking-rules.ts';
import { cityClosedDays } from './booking.repository.server.ts';
import { dropLineOfSlot } from './waitlist-offers.server.ts';
import {
  activeBookingIds,
  activeBookingsInWeek,
  activeBookingsOfSlots,
  deleteWeek,
  findFacility,
  findSlot,
  hoursOf,
  insertSlots,
  insertWeek,
  markSlotClosed,
  openSlotsBetween,
  publishedWeeks,
  setCapacity,
  slotCountBetween,
  slotsOfWeek,
  upsertRule,
  weekFigures,
} from './facility.repository.server.ts';
import type { Staff } from './facility.service.server.ts';
import type { Question, RuleInput } from './facility.schema.ts';
import { questionIds } from './facility.ts';
import { plannedSlots } from './working-days.server.ts';

async function generate(
  q: Parameters<typeof insertSlots>[0],
  code: string,
  facilityId: string,
  weekStart: string,
): Promise<number | null> {
  const facility = await findFacility(q, code, facilityId);
  if (!facility) return null;
  const hours = await hoursOf(q, code, facilityId);
  const closed = await cityClosedDays(q, code, weekStart, addDays(weekStart, 6));
  const slots = plannedSlots(weekStart, hours, facility.slotMinutes, closed);
  return insertSlots(q, code, facilityId, facility.placesPerSlot, slots);
}

export type GenerateOutcome = { outcome: 'generated'; added: number } | { outcome: 'not_found' };

/** Makes the week's slots that are missing; running it again adds none. */
export async function generateWeek(
  db: Db,
  staff: Staff,
  facilityId: string,
  weekStart: string,
): Promise<GenerateOutcome> {
  return db.transaction().execute(async (trx): Promise<GenerateOutcome> => {
    const added = await generate(trx, staff.municipalityCode, facilityId, weekStart);
    if (added === null) return { outcome: 'not_found' };
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.week_generate',
      targetType: 'facility',
      targetId: facilityId,
      outcome: 'success',
      details: { weekStart, added },
    });
    return { outcome: 'generated', added };
  });
}

export type PublishOutcome =
  { outcome: 'published'; added: number; already: boolean } | { outcome: 'not_found' };

/** Publishes a week: its missing slots are made first, then residents can see it. */
export async function publishWeek(
  db: Db,
  staff: Staff,
  facilityId: string,
  weekStart: string,
): Promise<PublishOutcome> {
  return db.transaction().execute(async (trx): Promise<PublishOutcome> => {
    const code = staff.municipalityCode;
    const added = await generate(trx, code, facilityId, weekStart);
    if (added === null) return { outcome: 'not_found' };
    const inserted = await insertWeek(trx, code, facilityId, weekStart, staff.actor.actorId);
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.week_publish',
      targetType: 'facility',
      targetId: facilityId,
      outcome: 'success',
      details: { weekStart, added },
    });
    return { outcome: 'published', added, already: !inserted };
  });
}

export type UnpublishOutcome =
  | { outcome: 'unpublished' }
  | { outcome: 'not_published' }
  | { outcome: 'has_bookings'; bookings: number };

/** Hides a week again, only while nobody has booked in it (its slots are locked meanwhile). */
export async function unpublishWeek(
  db: Db,
  staff: Staff,
  facilityId: string,
  weekStart: string,
): Promise<UnpublishOutcome> {
  return db.transaction().execute(async (trx): Promise<UnpublishOutcome> => {
    const code = staff.municipalityCode;
    const bookings = await activeBookingsInWeek(trx, code, facilityId, weekStart);
    if (bookings > 0) return { outcome: 'has_bookings', bookings };
    if (!(await deleteWeek(trx, code, facilityId, weekStart))) return { outcome: 'not_published' };
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.week_unpublish',
      targetType: 'facility',
      targetId: facilityId,
      outcome: 'success',
      details: { weekStart },
    });
    return { outcome: 'unpublished' };
  });
}

export type WeekRow = {
  weekStart: string;
  slots: number;
  capacity: number;
  taken: number;
  published: boolean;
};

/** The facility's weeks from this one, `count` of them, with what is generated and published. */
export async function facilityWeeks(
  db: Db,
  code: string,
  facilityId: string,
  now = new Date(),
  count = 8,
): Promise<WeekRow[]> {
  const from = weekStartOf(tokyoDate(now));
  const to = addDays(from, count * 7);
  const [figures, published] = await Promise.all([
    weekFigures(db, code, facilityId, from, to),
    publishedWeeks(db, code, facilityId, from),
  ]);
  const shown = new Set(published.map((w) => w.weekStart));
  return Array.from({ length: count }, (_, i) => {
    const weekStart = addDays(from, i * 7);
    const f = figures.find((w) => w.week === weekStart);
    return {
      weekStart,
      slots: f?.slots ?? 0,
      capacity: f?.capacity ?? 0,
      taken: f?.taken ?? 0,
      published: shown.has(weekStart),
    };
  });
}

export const weekSlots = (db: Db, code: string, facilityId: string, weekStart: string) =>
  slotsOfWeek(db, code, facilityId, weekStart);

export type CloseOutcome =
  | { outcome: 'closed'; cancelled: number }
  | { outcome: 'needs_message'; bookings: number }
  | { outcome: 'already_closed' }
  | { outcome: 'not_found' };

/**
 * Closes a slot. With bookings in it, a message is required: each booking is then cancelled
 * through the booking service (which frees its places and moves its targets back), with the
 * message as the reason. The slot is closed first, so nobody books it meanwhile.
 */
export async function closeSlot(
  db: Db,
  staff: Staff,
  slotId: string,
  message: string,
  mailer?: BookingMailer,
): Promise<CloseOutcome> {
  const code = staff.municipalityCode;
  const text = message.trim() || null;
  const first = await db.transaction().execute(async (trx): Promise<CloseOutcome | null> => {
    const slot = await findSlot(trx, code, slotId);
    if (!slot) return { outcome: 'not_found' };
    if (slot.closedAt) return { outcome: 'already_closed' };
    const bookings = (await activeBookingIds(trx, code, slotId)).length;
    if (bookings > 0 && !text) return { outcome: 'needs_message', bookings };
    if (!(await markSlotClosed(trx, code, slotId, { staffId: staff.actor.actorId, message: text })))
      return { outcome: 'already_closed' };
    await dropLineOfSlot(trx, code, slotId, { mailer, message: text });
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.slot_close',
      targetType: 'booking_slot',
      targetId: slotId,
      outcome: 'success',
      details: { bookings, ...(text ? { message: text } : {}) },
    });
    return null;
  });
  if (first) return first;
  let cancelled = 0;
  for (const bookingId of await activeBookingIds(db, code, slotId)) {
    // The booker is told in their language, with the message and the way to book again.
    const outcome = await cancelBooking(
      db,
      staff.actor,
      code,
      bookingId,
      { staffId: staff.actor.actorId, reason: text },
      new Date(),
      mailer,
    );
    if (outcome.outcome === 'cancelled') cancelled += 1;
  }
  return { outcome: 'closed', cancelled };
}

/** What closing a day touches: its open slots and their active bookings. */
export type DayFigures = {
  slots: number;
  bookings: number;
  people: number;
  /** Bookings a clerk made without an email address: they are told by phone. */
  withoutEmail: number;
};

export type CloseDayOutcome =
  | ({ outcome: 'closed' } & DayFigures)
  /** Bookings are affected and no message was given. */
  | ({ outcome: 'needs_message' } & DayFigures)
  /** The bookings differ from those the confirm step showed: confirm again. */
  | ({ outcome: 'changed' } & DayFigures)
  | { outcome: 'already_closed' }
  | { outcome: 'no_slots' }
  | { outcome: 'not_found' };

async function dayFigures(
  q: Parameters<typeof openSlotsBetween>[0],
  code: string,
  facilityId: string,
  day: string,
  lock: boolean,
) {
  const span = { from: tokyoDayStart(day), to: tokyoDayStart(day, 1) };
  // Locked first, so a booking racing in either committed before (and is read below) or
  // finds its slot closed (takePlaces wants an open slot).
  const slots = await openSlotsBetween(q, code, facilityId, span, lock);
  const bookings = await activeBookingsOfSlots(
    q,
    code,
    slots.map((s) => s.id),
  );
  const figures: DayFigures = {
    slots: slots.length,
    bookings: bookings.length,
    people: bookings.reduce((n, b) => n + b.places, 0),
    withoutEmail: bookings.filter((b) => !b.email).length,
  };
  return { slots, bookings, figures, empty: () => slotCountBetween(q, code, facilityId, span) };
}

/** The confirm step of closing a day: how many slots, bookings and people it would touch. */
export async function dayClosePreview(db: Db, code: string, facilityId: string, day: string) {
  const { figures } = await dayFigures(db, code, facilityId, day, false);
  return figures;
}

/**
 * Closes every open slot of a facility's day (Asia/Tokyo) in one transaction (decision 0056):
 * with bookings, a message is required and each booking is cancelled with it as the reason
 * (cancelWithin: places freed, targets back to "letter printed", the booker's cancellation
 * mail queued in the outbox, once per booking). The closure is audited once with its counts.
 * `expectedBookings` is what the confirm step showed; a different number asks again. A second
 * submit finds nothing open and closes nothing more.
 */
export async function closeDay(
  db: Db,
  staff: Staff,
  facilityId: string,
  day: string,
  message: string,
  options: { expectedBookings?: number; mailer?: BookingMailer; now?: Date } = {},
): Promise<CloseDayOutcome> {
  const code = staff.municipalityCode;
  const text = message.trim() || null;
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<CloseDayOutcome> => {
    if (!(await findFacility(trx, code, facilityId))) return { outcome: 'not_found' };
    const { slots, bookings, figures, empty } = await dayFigures(trx, code, facilityId, day, true);
    if (slots.length === 0)
      return (await empty()) > 0 ? { outcome: 'already_closed' } : { outcome: 'no_slots' };
    if (options.expectedBookings !== undefined && options.expectedBookings !== bookings.length)
      return { outcome: 'changed', ...figures };
    if (bookings.length > 0 && !text) return { outcome: 'needs_message', ...figures };
    for (const slot of slots) {
      await markSlotClosed(trx, code, slot.id, { staffId: staff.actor.actorId, message: text });
      // As for one closed slot: its waitlist ends, and places held for offers go back.
      await dropLineOfSlot(trx, code, slot.id, { mailer: options.mailer, message: text });
    }
    for (const booking of bookings)
      await cancelWithin(
        trx,
        staff.actor,
        code,
        booking.id,
        { staffId: staff.actor.actorId, reason: text },
        now,
        options.mailer,
      );
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.day_close',
      targetType: 'facility',
      targetId: facilityId,
      outcome: 'success',
      details: {
        day,
        ...figures,
        mailed: options.mailer ? figures.bookings - figures.withoutEmail : 0,
        ...(text ? { message: text } : {}),
      },
    });
    return { outcome: 'closed', ...figures };
  });
}

export type PlacesOutcome =
  | { outcome: 'saved'; capacity: number }
  | { outcome: 'below_taken'; taken: number }
  | { outcome: 'not_found' };

/** Changes a slot's places; the database's CHECK refuses fewer than are taken. */
export async function changeSlotPlaces(
  db: Db,
  staff: Staff,
  slotId: string,
  capacity: number,
): Promise<PlacesOutcome> {
  const code = staff.municipalityCode;
  try {
    return await db.transaction().execute(async (trx): Promise<PlacesOutcome> => {
      const before = await findSlot(trx, code, slotId);
      const row = await setCapacity(trx, code, slotId, capacity);
      if (!row || !before) return { outcome: 'not_found' };
      await recordAudit(trx, {
        ...staff.actor,
        action: 'reservations.slot_places',
        targetType: 'booking_slot',
        targetId: slotId,
        outcome: 'success',
        details: { from: before.capacity, to: capacity },
      });
      return { outcome: 'saved', capacity: row.capacity };
    });
  } catch (error) {
    const e = error as { code?: string; constraint_name?: string };
    if (e.code !== '23514' || e.constraint_name !== 'booking_slot_taken_within_capacity')
      throw error;
    const slot = await findSlot(db, code, slotId);
    return { outcome: 'below_taken', taken: slot?.taken ?? 0 };
  }
}

export type RuleView = {
  kind: AppointmentKind;
  deadlineWorkingDays: number;
  deadlineTime: string;
  maxPeople: number;
  horizonDays: number;
  waitlistHoldHours: number;
  questions: Question[];
};

/** Both kinds' rules: the city's, or the defaults until staff save them. */
export async function rulesForStaff(db: Db, code: string): Promise<RuleView[]> {
  return Promise.all(
    APPOINTMENT_KINDS.map(async (kind) => {
      const rules = await bookingRules(db, code, kind);
      return { kind, ...rules, questions: rules.questions as Question[] };
    }),
  );
}

const freshQuestionId = () => `q-${randomBytes(6).toString('hex')}`;

/**
 * Saves a kind's rules. Questions keep the ids they were saved with; new ones get ids no saved
 * question has (see questionIds), so answers already given keep pointing at their question.
 */
export async function saveRules(db: Db, staff: Staff, input: RuleInput): Promise<RuleInput> {
  return db.transaction().execute(async (trx) => {
    const saved = await bookingRules(trx, staff.municipalityCode, input.kind);
    const savedIds = (saved.questions as Partial<Question>[]).flatMap((q) =>
      typeof q?.id === 'string' ? [q.id] : [],
    );
    const rule = { ...input, questions: questionIds(input.questions, savedIds, freshQuestionId) };
    await upsertRule(trx, staff.municipalityCode, { ...rule, updatedBy: staff.actor.actorId });
    await recordAudit(trx, {
      ...staff.actor,
      action: 'reservations.rules_save',
      targetType: 'booking_rule',
      targetId: rule.kind,
      outcome: 'success',
      details: {
        deadlineWorkingDays: rule.deadlineWorkingDays,
        deadlineTime: rule.deadlineTime,
        maxPeople: rule.maxPeople,
        horizonDays: rule.horizonDays,
        waitlistHoldHours: rule.waitlistHoldHours,
        questions: rule.questions.map((q) => q.id),
      },
    });
    return rule;
  });
}
