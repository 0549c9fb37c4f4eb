import { z } from 'zod';
import type { OutgoingMail } from './mail.ts';

/** What queueMail accepts: checked before anything is written. */
export const OutgoingMailSchema = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/),
  dedupeKey: z.string().min(1).max(200),
  to: z.email().max(254),
  locale: z.enum(['ja', 'en']),
  subject: z
    .string()
    .min(1)
    .max(500)
    .regex(/^[^\r\n]*$/),
  text: z.string().min(1),
  html: z.string().min(1),
  attachments: z
    .array(
      z.strictObject({
        filename: z.string().min(1).max(200),
        contentType: z.string().min(3).max(200),
        content: z.instanceof(Uint8Array),
      }),
    )
    .max(10)
    .optional(),
  municipalityCode: z
    .string()
    .regex(/^\d{6}$/)
    .nullish(),
}) satisfies z.ZodType<OutgoingMail>;

export const MailIdSchema = z.uuid();
