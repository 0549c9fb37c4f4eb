import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { findPrintableLetter, issueLetter, letterLinkToken } from '../identity/letters.server.ts';
import {
  findLetterById,
  findLetterByIdempotencyKey,
  withLetterIssueLock,
} from './letter.repository.server.ts';
import { LETTER_ENTRY_PATH, letterStatus, letterTargets, type LetterPurpose } from './letter.ts';
import { qrCodeSvg } from './qr.server.ts';

export type IssueOutcome =
  | { outcome: 'issued' | 'replayed'; letterId: string }
  /** The key already names another resident's letter: a forged or mixed-up form. */
  | { outcome: 'conflict' };

/**
 * Issues a letter once per idempotency key (the key travels in the form, so a double click or
 * a resubmitted page gives back the first letter instead of revoking it with a second).
 */
export async function issueLetterOnce(
  db: Db,
  secrets: Secrets,
  input: {
    residentId: string;
    purpose: LetterPurpose;
    issuedBy: string;
    idempotencyKey: string;
  },
): Promise<IssueOutcome> {
  // Under the lock: issueLetter revokes the resident's unused letter before its own
  // idempotency check, so two concurrent submissions must not both reach it.
  return withLetterIssueLock(db, input.residentId, async () => {
    const earlier = await findLetterByIdempotencyKey(db, input.idempotencyKey);
    if (earlier) {
      return earlier.residentId === input.residentId
        ? { outcome: 'replayed', letterId: earlier.id }
        : { outcome: 'conflict' };
    }
    const letter = await issueLetter(db, secrets, input);
    return { outcome: 'issued', letterId: letter.id };
  });
}

export type PrintableLetterView = {
  id: string;
  purpose: LetterPurpose;
  code: string;
  password: string;
  issuedAt: Date;
  expiresAt: Date;
  residentId: string;
  name: string;
  nameKana: string;
  address: string;
  municipalityName: string;
  entryUrl: string;
  qrTarget: string;
  qrSvg: string;
};

export type PrintableLetterResult =
  | { status: 'not_found' }
  | {
      status: 'unavailable';
      reason: 'used' | 'revoked' | 'expired' | 'unsupported';
      residentId: string;
    }
  | { status: 'printable'; letter: PrintableLetterView };

/**
 * Everything a printed letter shows, with its password unsealed and its QR code drawn, while
 * the letter can still be used. A used, revoked or expired letter is never printed again.
 */
export async function preparePrintableLetter(
  db: Db,
  secrets: Secrets,
  input: { letterId: string; lang: string; publicOrigin: string },
  now = new Date(),
): Promise<PrintableLetterResult> {
  const found = await findLetterById(db, input.letterId);
  if (!found) return { status: 'not_found' };
  const status = letterStatus(found, now);
  if (status !== 'active')
    return { status: 'unavailable', reason: status, residentId: found.residentId };
  const entryPath = LETTER_ENTRY_PATH[found.purpose];
  if (!entryPath)
    return { status: 'unavailable', reason: 'unsupported', residentId: found.residentId };
  const letter = await findPrintableLetter(db, secrets, input.letterId);
  if (!letter) {
    // Used or replaced between the two reads.
    const later = await findLetterById(db, input.letterId);
    return {
      status: 'unavailable',
      reason: later?.revokedAt ? 'revoked' : 'used',
      residentId: found.residentId,
    };
  }
  const { entryUrl, qrTarget } = letterTargets({
    publicOrigin: input.publicOrigin,
    lang: input.lang,
    entryPath,
    linkToken: letterLinkToken(secrets, letter, now),
  });
  return {
    status: 'printable',
    letter: {
      id: letter.id,
      purpose: letter.purpose,
      code: letter.code,
      password: letter.password,
      issuedAt: letter.issuedAt,
      expiresAt: letter.expiresAt,
      residentId: letter.residentId,
      name: letter.name,
      nameKana: letter.nameKana,
      address: letter.address,
      municipalityName: letter.municipalityName,
      entryUrl,
      qrTarget,
      qrSvg: await qrCodeSvg(qrTarget),
    },
  };
}
