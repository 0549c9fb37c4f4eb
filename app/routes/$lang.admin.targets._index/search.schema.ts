import { z } from 'zod';
import { parseDateText } from '../../i18n/typed-dates.ts';
import { PICKUP_STATES } from '../../targets/target.ts';

/** Messages are keys in the adminTargets namespace. */
const text = (max: number) => z.string().trim().max(max, 'search.errors.tooLong').optional();

export const SearchSchema = z.object({
  name: text(100),
  // Either calendar, as a list or a clerk writes it: S55.12.3, 昭和55年12月3日, 1980-12-03.
  birthDate: text(30).refine(
    (value) => !value || parseDateText(value).ok,
    'search.errors.birthDate',
  ),
  address: text(200),
  applicationId: text(40),
  manufactureNo: text(40),
  reservationId: text(20).refine(
    (value) => !value || /^[0-9]{10}$/.test(value.normalize('NFKC').replace(/[\s-]/g, '')),
    'search.errors.reservationId',
  ),
  state: z.enum(PICKUP_STATES, { message: 'search.errors.state' }).optional(),
});

export type Search = z.output<typeof SearchSchema>;
