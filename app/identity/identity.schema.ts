import { z } from 'zod';
import { parseTypedDate, tokyoDate } from '../i18n/dates.ts';

/**
 * Form schemas shared by the pages' server validation and their client-side checks.
 * Messages are i18n keys (namespace `identity`), translated where they are shown.
 */
/**
 * The date of birth from its three typed parts: 'YYYY-MM-DD', or the i18n key of what is
 * wrong. The year may be Western (1948) or Japanese (昭和23, S23, 平成元年): many residents
 * know their birth year by its era.
 */
export function birthDateFrom(
  parts: { birthYear?: string; birthMonth?: string; birthDay?: string },
  today = new Date(),
): { date: string } | { error: string } {
  const parsed = parseTypedDate(
    parts.birthYear ?? '',
    parts.birthMonth ?? '',
    parts.birthDay ?? '',
  );
  if (!parsed.ok)
    return {
      error:
        parsed.reason === 'year'
          ? 'firstAccess.errors.birthYear'
          : parsed.reason === 'era'
            ? `firstAccess.errors.era.${parsed.era}`
            : 'firstAccess.errors.birthDate',
    };
  if (parsed.date < '1890-01-01' || parsed.date > tokyoDate(today))
    return { error: 'firstAccess.errors.birthDate' };
  return { date: parsed.date };
}

const optional = z.string().trim().optional();

/** Every field is checked at once, so one submit reports every problem. */
export const FirstAccessSchema = z
  .object({
    token: optional,
    code: optional,
    password: optional,
    birthYear: optional,
    birthMonth: optional,
    birthDay: optional,
  })
  .superRefine((value, ctx) => {
    if (!value.token) {
      const code = (value.code ?? '').normalize('NFKC').replace(/[\s\-‐‑–—―ー]/g, '');
      if (!value.code)
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'firstAccess.errors.required' });
      else if (!/^[0-9A-Za-z]{12}$/.test(code))
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'firstAccess.errors.codeFormat' });
      if (!value.password)
        ctx.addIssue({
          code: 'custom',
          path: ['password'],
          message: 'firstAccess.errors.required',
        });
    }
    const birth = birthDateFrom(value);
    if (!value.birthYear && !value.birthMonth && !value.birthDay)
      ctx.addIssue({
        code: 'custom',
        path: ['birthYear'],
        message: 'firstAccess.errors.birthRequired',
      });
    else if ('error' in birth)
      ctx.addIssue({ code: 'custom', path: ['birthYear'], message: birth.error });
  });

export const PasskeyNameSchema = z.string().trim().min(1, 'security.nameRequired').max(60);
