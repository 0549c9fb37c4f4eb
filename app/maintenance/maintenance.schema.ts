import { z } from 'zod';
import { fromTokyoDateTimeLocal } from '../i18n/dates.ts';

/** Form schemas of the staff maintenance page. Messages are keys in `adminMaintenance`. */
export const MESSAGE_MAX = 500;

const instant = (required: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, required)
    .transform((v, ctx) => {
      const date = fromTokyoDateTimeLocal(v);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: 'errors.dateTime' });
        return z.NEVER;
      }
      return date;
    });

const message = z.string().trim().max(MESSAGE_MAX, 'errors.messageTooLong').default('');

export const ScheduleSchema = z
  .object({
    intent: z.literal('schedule'),
    startsAt: instant('errors.startRequired'),
    endsAt: instant('errors.endRequired'),
    messageJa: message,
    messageEn: message,
  })
  .superRefine((value, ctx) => {
    if (value.endsAt <= value.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'errors.endBeforeStart' });
    else if (value.endsAt <= new Date())
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'errors.endInPast' });
  });

export const CancelSchema = z.object({ intent: z.literal('cancel'), id: z.uuid() });

export const MaintenanceFormSchema = z.discriminatedUnion('intent', [ScheduleSchema, CancelSchema]);
