import { z } from 'zod';
import { birthDateFrom } from './birth-date.ts';

/**
 * Form schemas of first access and passkey names, for the server only: the pages validate on
 * submit and the browser takes their types alone (decision 0070).
 * Messages are i18n keys (namespace `identity`), translated where they are shown.
 */
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
