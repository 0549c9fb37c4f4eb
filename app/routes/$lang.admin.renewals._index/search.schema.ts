import { z } from 'zod';
import { parseDateText } from '../../i18n/typed-dates.ts';

const text = (max: number) => z.string().trim().max(max, 'search.errors.tooLong').optional();

/** Messages are keys in the adminRenewals namespace. */
export const RenewalSearchSchema = z.object({
  name: text(100),
  birthDate: text(30).refine((v) => !v || parseDateText(v).ok, 'search.errors.birthDate'),
  noticeNumber: text(40),
  reservationId: text(20),
  code: text(20),
  state: z.enum(['active', 'renewed', 'cleared', 'all']).optional().default('active'),
});
