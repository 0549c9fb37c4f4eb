import { z } from 'zod';
import { birthDateFrom } from '../../identity/birth-date.ts';

const part = z.string().trim().max(10, 'search.errors.birthDate').optional();

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
    // The year may be Western or Japanese (昭和23), as on the first-access page.
    const birth = anyPart ? birthDateFrom({ birthYear, birthMonth, birthDay }) : null;
    const birthDate = birth && 'date' in birth ? birth.date : null;
    if (anyPart && !birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthYear'], message: 'search.errors.birthDate' });
      return z.NEVER;
    }
    return { text: value.q ?? '', birthDate };
  });
