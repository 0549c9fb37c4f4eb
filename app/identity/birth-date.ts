import { tokyoDate } from '../i18n/dates.ts';
import { parseTypedDate } from '../i18n/typed-dates.ts';

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
