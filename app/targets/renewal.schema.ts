/**
 * The renewal pages' forms (safe for the browser): adding a person by hand with the same
 * checks as a line of the imported list, and the two confirmed closing actions. Messages are
 * keys in the adminRenewals namespace; every problem of a submission is reported at once.
 */
import { z } from 'zod';
import { normalizeCell } from '../csv/csv-read.ts';
import { parseDateText } from '../i18n/typed-dates.ts';
import { CLEAR_REASONS } from './renewal.ts';
import type { RenewalRow } from './renewal-csv.ts';
import { compactRegisterCode, isRegisterCode } from './register-code.ts';

const field = z
  .string()
  .optional()
  .transform((v) => (v ?? '').replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''));
const FORMULA = /^[=+\-@]/;

export const AddRenewalSchema = z
  .object({
    residentRegisterCode: field,
    name: field,
    nameKana: field,
    birthDate: field,
    address: field,
    noticeNumber: field,
    certificateExpiresOn: field,
  })
  .transform((v, ctx): RenewalRow => {
    const issue = (path: keyof typeof v, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message: `add.errors.${message}` });
    for (const key of [
      'residentRegisterCode',
      'name',
      'birthDate',
      'address',
      'noticeNumber',
    ] as const)
      if (v[key] === '') issue(key, 'required');
    for (const key of ['name', 'nameKana', 'address'] as const) {
      if (FORMULA.test(v[key])) issue(key, 'formula');
      else if (v[key].length > 200) issue(key, 'tooLong');
    }
    const code = compactRegisterCode(v.residentRegisterCode);
    if (code !== '' && !isRegisterCode(code)) issue('residentRegisterCode', 'registerCode');
    const notice = normalizeCell(v.noticeNumber).replace(/\s/g, '');
    if (notice !== '' && !/^[0-9A-Za-z-]{1,40}$/.test(notice))
      issue('noticeNumber', 'noticeNumber');
    const birth = v.birthDate === '' ? null : parseDateText(v.birthDate);
    if (birth && !birth.ok) issue('birthDate', 'date');
    const expiry = v.certificateExpiresOn === '' ? null : parseDateText(v.certificateExpiresOn);
    if (expiry && !expiry.ok) issue('certificateExpiresOn', 'date');
    if (!birth?.ok) return z.NEVER;
    return {
      residentRegisterCode: code,
      name: v.name,
      nameKana: v.nameKana === '' ? null : v.nameKana,
      birthDate: birth.date,
      address: v.address,
      noticeNumber: notice,
      certificateExpiresOn: expiry?.ok ? expiry.date : null,
    };
  });

const confirmed = z.literal('on', { error: 'close.errors.confirm' });

export const RenewSchema = z.object({ intent: z.literal('renew'), confirm: confirmed });

export const ClearSchema = z.object({
  intent: z.literal('clear'),
  reason: z.enum(CLEAR_REASONS, { error: 'close.errors.reason' }),
  note: z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .pipe(z.string().max(500, 'close.errors.noteTooLong').nullable()),
  confirm: confirmed,
});
