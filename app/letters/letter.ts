import type { LetterPurpose } from '../../db/schema.ts';

/**
 * Letters on paper: the domain's types and pure helpers, safe for the browser. The printed
 * letter component and the staff pages use these; the reservation letters (pickup, renewal)
 * reuse them with their own texts and entry pages.
 */
export type { LetterPurpose };

/** A letter ID as printed and stored: 'ABCD-EFGH-JKLM' from its twelve characters. */
export const formatLetterCode = (raw: string) =>
  `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;

export type LetterStatus = 'active' | 'used' | 'revoked' | 'expired';

export function letterStatus(
  letter: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now = new Date(),
): LetterStatus {
  if (letter.usedAt) return 'used';
  if (letter.revokedAt) return 'revoked';
  if (letter.expiresAt <= now) return 'expired';
  return 'active';
}

/**
 * The page a letter's reader opens, below /:lang. Pickup and renewal letters get theirs when
 * the reservation site exists; until then they cannot be printed.
 */
export const LETTER_ENTRY_PATH: Partial<Record<LetterPurpose, string>> = {
  first_access: '/first-access',
};

/** The address typed from the paper, and the QR code's link that carries the letter itself. */
export function letterTargets(input: {
  publicOrigin: string;
  lang: string;
  entryPath: string;
  linkToken: string;
}): { entryUrl: string; qrTarget: string } {
  const origin = input.publicOrigin.replace(/\/+$/, '');
  const entryUrl = `${origin}/${input.lang}${input.entryPath}`;
  return { entryUrl, qrTarget: `${entryUrl}?token=${encodeURIComponent(input.linkToken)}` };
}

/**
 * The text before and after a value in a translated sentence, so the value can be wrapped
 * (e.g. in lang="ja"): pass `t(key, { name: VALUE_MARK })`.
 */
export const VALUE_MARK = '\u0000';
export function aroundValue(text: string): { before: string; after: string } {
  const [before = '', after = ''] = text.split(VALUE_MARK);
  return { before, after };
}
