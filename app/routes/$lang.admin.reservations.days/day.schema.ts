import { z } from 'zod';
import { NEEDS, splitReservationIds } from '../../reservations/staff-days.ts';

/** The clerk's forms on the day list. Messages are keys in the reservationDays namespace. */
export const PhoneBookSchema = z.object({
  intent: z.literal('book'),
  slotId: z.uuid({ error: 'errors.slot' }),
  kind: z.enum(['card_pickup', 'cert_renewal'], { error: 'errors.kind' }),
  reservationIds: z
    .string({ error: 'errors.reservationIds' })
    .trim()
    .max(400, 'errors.reservationIds')
    .refine((v) => splitReservationIds(v).length > 0, 'errors.reservationIds'),
  /** Optional: a caller without an address gets no mail and is told by phone. */
  email: z.email({ error: 'errors.email' }).max(254, 'errors.email').optional(),
  phone: z
    .string({ error: 'errors.phone' })
    .trim()
    .regex(/^[0-9０-９+\-‐－() ]{6,20}$/, 'errors.phone'),
  needs: z.array(z.enum(NEEDS)).optional(),
  /** Answers to the kind's questions (fields `q.<id>`); the service checks them. */
  q: z.record(z.string(), z.string().max(2000)).optional(),
  idempotencyKey: z.string().min(8).max(200),
});

/** Closing the whole day shown: the message goes to every affected booker. */
export const CloseDaySchema = z.object({
  intent: z.literal('closeDay'),
  facilityId: z.uuid(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  message: z.string().trim().max(500, 'errors.reasonTooLong').optional(),
  /** The number of bookings the confirm step showed. */
  expected: z.coerce.number().int().min(0),
});

export const MoveSchema = z.object({
  intent: z.literal('move'),
  bookingId: z.uuid(),
  slotId: z.uuid({ error: 'errors.newSlot' }),
});

export const CancelSchema = z.object({
  intent: z.literal('cancel'),
  bookingId: z.uuid(),
  reason: z
    .string({ error: 'errors.reason' })
    .trim()
    .min(1, 'errors.reason')
    .max(500, 'errors.reasonTooLong'),
});
