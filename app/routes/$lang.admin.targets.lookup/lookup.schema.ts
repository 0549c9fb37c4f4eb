import { z } from 'zod';
import { parseDateText } from '../../i18n/typed-dates.ts';

/** All three are required: a clerk on the phone cannot browse by one of them. */
export const LookupSchema = z.object({
  name: z
    .string({ error: 'lookup.errors.name' })
    .trim()
    .min(1, 'lookup.errors.name')
    .max(100, 'lookup.errors.tooLong'),
  birthDate: z
    .string({ error: 'lookup.errors.birthDate' })
    .trim()
    .max(30, 'lookup.errors.tooLong')
    .refine((value) => parseDateText(value).ok, 'lookup.errors.birthDate'),
  address: z
    .string({ error: 'lookup.errors.address' })
    .trim()
    .min(1, 'lookup.errors.address')
    .max(200, 'lookup.errors.tooLong'),
});
