/**
 * Which targets a batch of reservation letters is for (safe for the browser): those of one
 * import, those first imported between two days (Tokyo), those in a state, or one target
 * (the letter printed again after a reissue).
 */
import { z } from 'zod';
import { isCalendarDate } from '../i18n/dates.ts';

const day = z.string().trim().refine(isCalendarDate, { message: 'date' });

export const LetterBatchFilterSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('import'), importId: z.uuid({ message: 'import' }) }),
  z
    .object({ by: z.literal('dates'), from: day, to: day })
    .refine((d) => d.from <= d.to, { message: 'order', path: ['to'] }),
  z.object({ by: z.literal('state'), state: z.enum(['imported', 'setup_done']) }),
  z.object({ by: z.literal('target'), targetId: z.uuid() }),
]);

export type LetterBatchFilter = z.infer<typeof LetterBatchFilterSchema>;
