/**
 * Day-before reminders (issue 12). From the reminder hour (Asia/Tokyo) on, each active booking
 * whose appointment is tomorrow gets its reminder queued in the outbox; the outbox's dedupe
 * key makes every later run (or a second worker) a no-op for it.
 */
import type { Db } from '../../db/connection.ts';
import { addDays, tokyoDate, tokyoDayStart, tokyoHour } from '../i18n/dates.ts';
import { queueBookingMail, type BookingMailer } from './booking-mail.server.ts';

/** 10:00 in Tokyo: a reminder read in the morning, with the whole day to rearrange plans. */
export const REMINDER_HOUR = 10;

export async function queueDueReminders(
  db: Db,
  mailer: BookingMailer,
  now = new Date(),
): Promise<number> {
  if (tokyoHour(now) < REMINDER_HOUR) return 0;
  const tomorrow = addDays(tokyoDate(now), 1);
  const due = await db
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .select(['b.municipalityCode', 'b.id'])
    .where('b.status', '=', 'booked')
    // A phone booking without an address gets no reminder (decision 0056).
    .where('b.email', 'is not', null)
    .where('s.startsAt', '>=', tokyoDayStart(tomorrow))
    .where('s.startsAt', '<', tokyoDayStart(tomorrow, 1))
    .execute();
  for (const booking of due)
    await db
      .transaction()
      .execute((trx) =>
        queueBookingMail(mailer, trx, booking.municipalityCode, booking.id, 'reminder'),
      );
  return due.length;
}
