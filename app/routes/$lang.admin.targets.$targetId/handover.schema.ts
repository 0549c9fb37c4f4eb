import { z } from 'zod';
import { fromTokyoDateTimeLocal } from '../../i18n/dates.ts';
import { PICKUP_STATES } from '../../targets/target.ts';

/** The identity documents a clerk may tick (the card holder's own). */
export const IDENTITY_DOCUMENTS = [
  'driving_licence',
  'passport',
  'health_insurance',
  'pension_book',
  'notice_letter',
  'other',
] as const;

/** A hand-over written a little ahead of the server's clock is allowed; more is a typo. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Messages are keys in the adminTargets namespace. */
export const HandoverSchema = z
  .object({
    intent: z.literal('handover'),
    issuedAt: z.string({ error: 'handover.errors.issuedAt' }).trim(),
    documents: z
      .array(z.enum(IDENTITY_DOCUMENTS), { error: 'handover.errors.documents' })
      .min(1, 'handover.errors.documents'),
    otherDocument: z.string().trim().max(100, 'handover.errors.otherDocument').optional(),
    faceCheck: z.enum(['matched', 'not_matched'], { error: 'handover.errors.faceCheck' }),
    userCertificate: z.boolean().optional(),
    signingCertificate: z.boolean().optional(),
    pinSetup: z.boolean().optional(),
  })
  .transform((value, ctx) => {
    const issuedAt = fromTokyoDateTimeLocal(value.issuedAt);
    if (!issuedAt)
      ctx.addIssue({ code: 'custom', path: ['issuedAt'], message: 'handover.errors.issuedAt' });
    else if (issuedAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['issuedAt'],
        message: 'handover.errors.issuedAtFuture',
      });
    const other = value.documents.includes('other');
    if (other && !value.otherDocument)
      ctx.addIssue({
        code: 'custom',
        path: ['otherDocument'],
        message: 'handover.errors.otherDocument',
      });
    if (!issuedAt || (other && !value.otherDocument)) return z.NEVER;
    return {
      issuedAt,
      // "Other" is kept with what the clerk named it: 'other:マイナンバー通知カード'.
      identityDocuments: value.documents.map((d) =>
        d === 'other' ? `other:${value.otherDocument}` : d,
      ),
      faceCheck: value.faceCheck,
      userCertificate: value.userCertificate ?? false,
      signingCertificate: value.signingCertificate ?? false,
      pinSetup: value.pinSetup ?? false,
    };
  });

/** A move this page offers, as its form posts it. */
export const MoveSchema = z.object({
  intent: z.literal('move'),
  to: z.enum(['setup_done', 'cancelled', 'reissued']),
  from: z.enum(PICKUP_STATES),
  reason: z.string().trim().optional(),
});
