/**
 * Staff views of bookings (issue 12 "Day and month views", issue 11 "Day lists", decision
 * 0053): a facility's day slot by slot with each booking and the people it holds, a month's
 * counts per day, the same as CSV (audited), and a clerk booking by reservation ID during a
 * phone call through the one booking transaction (book()).
 */
import type { BookingMailer } from './booking-mail.server.ts';
import type { Db } from '../../db/connection.ts';
import { waitingBySlot } from './waitlist.repository.server.ts';
import type { BookingNeed } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { addDays, tokyoDayStart } from '../i18n/dates.ts';
import { readReservationId } from '../targets/reservation-id.ts';
import { book, bookingRules, type BookingOutcome } from './booking.service.server.ts';
import { answerProblems } from './booking-flow.ts';
import { readQuestions } from './booking-flow-input.server.ts';
import type { AppointmentKind } from './booking-rules.ts';
import {
  bookingWithSlot,
  bookingsBetween,
  countsPerDay,
  facilitiesOf,
  membersOfBooking,
  slotsBetween,
  targetByReservationId,
} from './staff-days.repository.server.ts';
import { monthDays, nextMonth } from './staff-days.ts';

type BookingRow = Awaited<ReturnType<typeof bookingsBetween>>[number];

export type DayBooking = {
  id: string;
  kind: AppointmentKind;
  places: number;
  phone: string;
  email: string | null;
  needs: BookingNeed[];
  answers: Record<string, unknown>;
  bookedVia: 'letter' | 'portal' | 'staff';
  members: { targetId: string; reservationId: string | null; name: string; state: string }[];
};

/** Bookings in the order met, each with its members (rows come one per member). */
function groupBookings(rows: readonly BookingRow[]): Map<string, DayBooking[]> {
  const bySlot = new Map<string, DayBooking[]>();
  const seen = new Map<string, DayBooking>();
  for (const row of rows) {
    let booking = seen.get(row.bookingId);
    if (!booking) {
      booking = {
        id: row.bookingId,
        kind: row.kind,
        places: row.places,
        phone: row.phone,
        email: row.email,
        needs: row.needs,
        answers: (row.answers ?? {}) as Record<string, unknown>,
        bookedVia: row.bookedVia,
        members: [],
      };
      seen.set(row.bookingId, booking);
      const list = bySlot.get(row.slotId) ?? [];
      list.push(booking);
      bySlot.set(row.slotId, list);
    }
    booking.members.push({
      targetId: row.targetId,
      reservationId: row.reservationId,
      name: row.name,
      state: row.state,
    });
  }
  return bySlot;
}

/** One facility's day (YYYY-MM-DD, Asia/Tokyo): every slot with its places and bookings. */
export async function dayView(db: Db, code: string, facilityId: string, day: string) {
  const from = tokyoDayStart(day);
  const to = tokyoDayStart(day, 1);
  const [slots, rows] = await Promise.all([
    slotsBetween(db, code, facilityId, from, to),
    bookingsBetween(db, code, facilityId, from, to),
  ]);
  const bySlot = groupBookings(rows);
  const waiting = await waitingBySlot(
    db,
    code,
    slots.map((s) => s.id),
  );
  return slots.map((slot) => ({
    ...slot,
    bookings: bySlot.get(slot.id) ?? [],
    waitlist: waiting.get(slot.id) ?? { entries: 0, offered: 0 },
  }));
}

/** Each day of a month (YYYY-MM) with its counts; days without slots count zero. */
export async function monthView(db: Db, code: string, facilityId: string, month: string) {
  const from = tokyoDayStart(`${month}-01`);
  const to = tokyoDayStart(`${nextMonth(month)}-01`);
  const counts = await countsPerDay(db, code, facilityId, from, to);
  const byDay = new Map(counts.map((c) => [c.day, c]));
  return monthDays(month).map(
    (day) =>
      byDay.get(day) ?? { day, slots: 0, capacity: 0, taken: 0, bookings: 0, bookedPlaces: 0 },
  );
}

export type ExportRow = BookingRow;

/**
 * The active bookings of a facility's days [fromDay, toDay] as rows, one per person; the
 * export is audited with its period and size (never the names).
 */
export async function exportBookings(
  db: Db,
  actor: AuditActor,
  code: string,
  facilityId: string,
  period: { from: string; to: string },
): Promise<ExportRow[]> {
  const rows = await bookingsBetween(
    db,
    code,
    facilityId,
    tokyoDayStart(period.from),
    tokyoDayStart(addDays(period.to, 1)),
  );
  await recordAudit(db, {
    ...actor,
    action: 'reservations.export',
    targetType: 'facility',
    targetId: facilityId,
    outcome: 'success',
    details: { from: period.from, to: period.to, rows: rows.length },
  });
  return rows;
}

export type PhoneBookingInput = {
  kind: AppointmentKind;
  slotId: string;
  reservationIds: readonly string[];
  /** None: the caller has no address, gets no mail and is told by phone (decision 0056). */
  email: string | null;
  phone: string;
  /** Answers to the kind's pre-booking questions, by question id (as the resident flow). */
  answers?: Record<string, string>;
  locale: 'ja' | 'en';
  needs: BookingNeed[];
  idempotencyKey: string;
};

export type PhoneBookingOutcome =
  | BookingOutcome
  | { outcome: 'unknown_reservation_id'; reservationIds: string[] }
  /** Field name (`q.<id>`) → the problem's key in the bookingFlow namespace. */
  | { outcome: 'answers_invalid'; problems: Record<string, string> };

/**
 * A clerk books during a phone call: the caller reads their reservation IDs (the household's
 * too); each must be a target of this city (a renewal target for an e-certificate renewal).
 * The booking itself is book() with via 'staff'.
 */
export async function bookByPhone(
  db: Db,
  clerk: { municipalityCode: string; actor: AuditActor & { actorId: string | null } },
  input: PhoneBookingInput,
  mailer?: BookingMailer,
): Promise<PhoneBookingOutcome> {
  const code = clerk.municipalityCode;
  const unknown: string[] = [];
  const targetIds: string[] = [];
  for (const typed of input.reservationIds) {
    const id = readReservationId(typed);
    const target = id ? await targetByReservationId(db, code, id, input.kind) : undefined;
    if (target) targetIds.push(target.id);
    else unknown.push(typed);
  }
  if (unknown.length > 0) return { outcome: 'unknown_reservation_id', reservationIds: unknown };
  // The rules' questions are asked as in the resident flow; required ones must be answered.
  const questions = readQuestions((await bookingRules(db, code, input.kind)).questions);
  const given = input.answers ?? {};
  const problems = answerProblems(given, questions);
  if (Object.keys(problems).length > 0) return { outcome: 'answers_invalid', problems };
  const answers = Object.fromEntries(
    questions.flatMap((q) => (given[q.id]?.trim() ? [[q.id, given[q.id]!.trim()]] : [])),
  );
  // The confirmation goes to the caller's address at once, as for a booking they made; with
  // no address there is no mail, and the day list says they were told by phone.
  const outcome = await book(
    db,
    clerk.actor,
    {
      municipalityCode: code,
      kind: input.kind,
      slotId: input.slotId,
      members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'staff' as const })),
      email: input.email?.trim() || null,
      phone: input.phone,
      locale: input.locale,
      answers,
      needs: input.needs,
      idempotencyKey: input.idempotencyKey,
      via: 'staff',
      staffId: clerk.actor.actorId,
    },
    new Date(),
    mailer,
  );
  return outcome;
}

/** Facilities for the pickers, and the one asked for (else the first). */
export async function chooseFacility(db: Db, code: string, asked: string | null) {
  const facilities = await facilitiesOf(db, code);
  const chosen = facilities.find((f) => f.id === asked) ?? facilities[0] ?? null;
  return { facilities, chosen };
}

/** How far ahead a clerk is offered slots to move a booking to. */
const MOVE_HORIZON_DAYS = 28;

/**
 * A booking for the change-or-cancel page: its slot, the people it holds, and the open slots
 * of its facility from now over the next four weeks with room for all of them.
 */
export async function bookingDetail(db: Db, code: string, bookingId: string, now = new Date()) {
  const booking = await bookingWithSlot(db, code, bookingId);
  if (!booking) return undefined;
  const [members, slots] = await Promise.all([
    membersOfBooking(db, code, bookingId),
    slotsBetween(
      db,
      code,
      booking.facilityId,
      now,
      new Date(now.getTime() + MOVE_HORIZON_DAYS * 86_400_000),
    ),
  ]);
  const candidates = slots.filter(
    (s) => s.id !== booking.slotId && s.closedAt === null && s.capacity - s.taken >= booking.places,
  );
  return { booking, members, candidates };
}
