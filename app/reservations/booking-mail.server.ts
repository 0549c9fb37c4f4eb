/**
 * The emails a booking sends (issue 12): confirmation at once, a notice when it changes or is
 * cancelled, and a reminder the day before. Each is queued in the outbox (decision 0049) inside
 * the transaction that makes the change, in the language the resident booked in, as text and
 * HTML with the appointment as an .ics file. The dedupe key names the event, so a reminder run
 * twice (or by two workers) queues one message.
 */
import type { Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../../db/schema.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { translator } from '../i18n/i18next.server.ts';
import { appointmentAttachment } from '../mail/ics.ts';
import { queueMail } from '../mail/mail.service.server.ts';
import { renderMail } from '../mail/render.ts';
import { BOOKING_PATH, formatReservationId } from './booking.ts';
import { nearestFreeSlots } from './slot-choices.server.ts';

export type BookingMailer = { boss: PgBoss; publicOrigin: string };

/** What a route hands the booking service so that its changes send their emails. */
export const bookingMailerOf = (context: {
  boss: PgBoss;
  env: { publicOrigin: string };
}): BookingMailer => ({ boss: context.boss, publicOrigin: context.env.publicOrigin });
export type BookingMailEvent = 'confirmed' | 'changed' | 'cancelled' | 'reminder';

function bookingForMail(trx: Transaction<Database>, code: string, bookingId: string) {
  return trx
    .selectFrom('booking as b')
    .innerJoin('bookingSlot as s', (j) =>
      j.onRef('s.municipalityCode', '=', 'b.municipalityCode').onRef('s.id', '=', 'b.slotId'),
    )
    .innerJoin('facility as f', (j) =>
      j.onRef('f.municipalityCode', '=', 's.municipalityCode').onRef('f.id', '=', 's.facilityId'),
    )
    .select((eb) => [
      'b.id',
      'b.email',
      'b.locale',
      'b.places',
      'b.slotId',
      'b.cancelReason',
      'b.cancelledByStaff',
      'b.kind',
      's.facilityId',
      's.startsAt',
      's.endsAt',
      'f.nameJa',
      'f.nameEn',
      'f.addressJa',
      'f.addressEn',
      eb
        .selectFrom('bookingMember as m')
        .innerJoin('pickupTarget as t', (j) =>
          j.onRef('t.municipalityCode', '=', 'm.municipalityCode').onRef('t.id', '=', 'm.targetId'),
        )
        .select((e) => e.fn.agg<string[]>('array_agg', ['t.reservationId']).as('ids'))
        .whereRef('m.municipalityCode', '=', 'b.municipalityCode')
        .whereRef('m.bookingId', '=', 'b.id')
        .as('reservationIds'),
    ])
    .where('b.municipalityCode', '=', code)
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

/** Queues the email about `event` for a booking, in the caller's transaction. */
export async function queueBookingMail(
  mailer: BookingMailer,
  trx: Transaction<Database>,
  code: string,
  bookingId: string,
  event: BookingMailEvent,
): Promise<void> {
  const booking = await bookingForMail(trx, code, bookingId);
  // A phone booking without an address: the clerk tells the caller instead (decision 0056).
  if (!booking?.email) return;
  const locale = booking.locale;
  const t = translator(locale);
  const k = (key: string, options: Record<string, unknown> = {}) =>
    String(t(`bookingMail:${key}`, options));
  const place = locale === 'ja' ? booking.nameJa : booking.nameEn;
  const address = locale === 'ja' ? booking.addressJa : booking.addressEn;
  const ids = (booking.reservationIds ?? []).filter((id): id is string => Boolean(id));
  const when = `${formatDateTime(booking.startsAt, locale)} – ${formatDateTime(booking.endsAt, locale)}`;
  const byStaff = event === 'cancelled' && Boolean(booking.cancelledByStaff);
  const body = byStaff
    ? k('body.cancelledByStaff', { reason: booking.cancelReason ?? '' })
    : k(`body.${event}`);
  // Cancelled by the city (a closed slot or day): another time is offered, the nearest ones
  // at the same place the booker could book now for as many people.
  const free = byStaff
    ? await nearestFreeSlots(
        trx,
        code,
        booking.kind,
        booking.facilityId,
        new Date(),
        booking.places,
      )
    : [];
  const offer =
    free.length > 0
      ? [
          k('body.freeSlots', {
            times: free
              .map(
                (s) =>
                  `${formatDateTime(s.startsAt, locale)} – ${formatDateTime(s.endsAt, locale)}`,
              )
              .join('\n'),
          }),
        ]
      : [];
  const content = renderMail({
    locale,
    subject: k(`subject.${event}`),
    greeting: k('greeting'),
    paragraphs: event === 'cancelled' ? [body, ...offer] : [body, k('body.manage')],
    facts: [
      { label: k('facts.when'), value: when },
      { label: k('facts.where'), value: place },
      ...(address ? [{ label: k('facts.address'), value: address }] : []),
      { label: k('facts.places'), value: k('placesCount', { count: booking.places }) },
      { label: k('facts.people'), value: ids.map(formatReservationId).join(', ') },
    ],
    link: { label: k('link'), href: `${mailer.publicOrigin}/${locale}${BOOKING_PATH}` },
    signature: [k('signature')],
  });
  const attachment = appointmentAttachment({
    uid: `${booking.id}@madoguchi`,
    start: booking.startsAt,
    end: booking.endsAt,
    summary: k('summary'),
    location: [place, address].filter(Boolean).join(', '),
    method: event === 'cancelled' ? 'CANCEL' : 'PUBLISH',
    // A later event replaces the earlier one in a calendar that imported it.
    sequence: Math.floor(Date.now() / 1000),
  });
  // Confirmation and cancellation happen once per booking; a change once per new slot; a
  // reminder once per booking and slot, however many runs look for tomorrow's bookings.
  const dedupeKey =
    event === 'changed' || event === 'reminder'
      ? `booking:${booking.id}:${event}:${booking.slotId}`
      : `booking:${booking.id}:${event}`;
  await queueMail(mailer.boss, trx, {
    kind: `booking.${event}`,
    dedupeKey,
    to: booking.email,
    locale,
    subject: content.subject,
    text: content.text,
    html: content.html,
    attachments: [attachment],
    municipalityCode: code,
  });
}
