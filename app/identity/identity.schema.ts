import { z } from 'zod';

/**
 * Form schemas shared by the pages' server validation and their client-side checks.
 * Messages are i18n keys (namespace `identity`), translated where they are shown.
 */
const digits = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^[0-9０-９]{1,4}$/, 'firstAccess.errors.birthDate')
    .transform((v) => Number(v.normalize('NFKC')))
    .pipe(z.number().int().min(1).max(max));

export const BirthDateParts = z.object({
  birthYear: digits(9999),
  birthMonth: digits(12),
  birthDay: digits(31),
});

/** 'YYYY-MM-DD' if the parts form a real date in the past, else null. */
export function birthDateFrom(
  parts: { birthYear: number; birthMonth: number; birthDay: number },
  today = new Date(),
): string | null {
  const { birthYear: y, birthMonth: m, birthDay: d } = parts;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  if (y < 1890 || date > today) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export const FirstAccessSchema = z
  .object({
    token: z.string().optional(),
    code: z.string().trim().optional(),
    password: z.string().trim().optional(),
    birthYear: z.string({ error: 'firstAccess.errors.required' }),
    birthMonth: z.string({ error: 'firstAccess.errors.required' }),
    birthDay: z.string({ error: 'firstAccess.errors.required' }),
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
    const parts = BirthDateParts.safeParse(value);
    if (!parts.success || !birthDateFrom(parts.data))
      ctx.addIssue({
        code: 'custom',
        path: ['birthYear'],
        message: 'firstAccess.errors.birthDate',
      });
  });

export const PasskeyNameSchema = z.string().trim().min(1, 'security.nameRequired').max(60);
