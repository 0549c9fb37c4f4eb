import { z } from 'zod';
import { birthDateFrom } from '../../identity/identity.schema.ts';

const part = z
  .string()
  .trim()
  .regex(/^[0-9０-９]{1,4}$/, 'search.errors.birthDate')
  .transform((v) => Number(v.normalize('NFKC')))
  .optional();

/** Messages are keys in the adminResidents namespace. */
export const SearchSchema = z
  .object({
    q: z.string().trim().max(100, 'search.errors.tooLong').optional(),
    birthYear: part,
    birthMonth: part,
    birthDay: part,
  })
  .transform((value, ctx) => {
    const { birthYear, birthMonth, birthDay } = value;
    const anyPart = [birthYear, birthMonth, birthDay].some((p) => p !== undefined);
    const birthDate =
      birthYear !== undefined && birthMonth !== undefined && birthDay !== undefined
        ? birthDateFrom({ birthYear, birthMonth, birthDay })
        : null;
    if (anyPart && !birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthYear'], message: 'search.errors.birthDate' });
      return z.NEVER;
    }
    return { text: value.q ?? '', birthDate };
  });
