import { z } from 'zod';

/**
 * The booking site's sign-in form, checked on the server only (the page takes its type, 0070).
 * Messages are i18n keys (namespace `reservations`). The reservation ID's check digit is
 * checked on the server (app/targets/reservation-id.ts), which answers a typo on the field.
 */
export const BookingSignInSchema = z.object({
  reservationId: z
    .string({ message: 'signIn.errors.required' })
    .trim()
    .refine((v) => /^[0-9]{10}$/.test(v.normalize('NFKC').replace(/[\s\-‐ー]/g, '')), {
      message: 'signIn.errors.reservationIdFormat',
    }),
  password: z.string({ message: 'signIn.errors.required' }).trim(),
});
