/**
 * The revocation forms, for the server only (the pages' forms take their types alone,
 * decision 0070). Messages are keys in the credentials
 * namespace. `target` is one credential id or "all" (staff only).
 */
import { z } from 'zod';
import { RESIDENT_REASONS, STAFF_REASONS } from './revocation.ts';

export const StaffRevokeSchema = z
  .object({
    residentId: z.uuid(),
    target: z.union([z.literal('all'), z.uuid()]),
    reason: z.enum(STAFF_REASONS, { error: 'admin.errors.reason' }),
    note: z.string().trim().max(500, { error: 'admin.errors.note' }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.reason === 'staff_other' && !value.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'admin.errors.note' });
  });

export const ResidentWithdrawSchema = z.object({
  credentialId: z.uuid(),
  reason: z.enum(RESIDENT_REASONS, { error: 'my.errors.reason' }),
});
