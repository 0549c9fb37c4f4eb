import { z } from 'zod';

/** The staff invitation form. Messages are i18n keys in the `adminStaff` namespace. */
export const InviteSchema = z.object({
  name: z
    .string({ error: 'invite.errors.nameRequired' })
    .trim()
    .min(1, 'invite.errors.nameRequired')
    .max(200, 'invite.errors.nameTooLong'),
  email: z
    .string({ error: 'invite.errors.emailRequired' })
    .trim()
    .max(254, 'invite.errors.emailFormat')
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'invite.errors.emailFormat'),
  groups: z
    .array(z.string(), { error: 'invite.errors.groupsRequired' })
    .min(1, 'invite.errors.groupsRequired'),
});

/** A staff member's groups: none ticked is an empty list, not a missing field. */
export const MembershipsSchema = z.object({
  accountId: z.string().min(1),
  groups: z.preprocess((v) => (v === undefined ? [] : v), z.array(z.string())),
});

/** The new group form. Messages are i18n keys in the `adminStaff` namespace. */
export const CreateGroupSchema = z.object({
  name: z
    .string({ error: 'create.errors.nameRequired' })
    .trim()
    .min(1, 'create.errors.nameRequired')
    .max(100, 'create.errors.nameTooLong'),
  description: z.string().trim().max(200, 'create.errors.descriptionTooLong').default(''),
});
