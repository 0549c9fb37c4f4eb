import type { Db } from '../../db/connection.ts';
import type { LetterPurpose } from './letter.ts';
import { DUMMY_SECRET_HASH, normaliseTypedCode, verifySecret } from '../identity/crypto.server.ts';
import { lockedUntil, recordFailure, type ThrottleRule } from '../identity/throttle.server.ts';
import {
  findLetterToCheck,
  updateLetterFailures,
  updateLetterUsed,
} from './letter.repository.server.ts';
import { formatLetterCode } from './letter.ts';

/** Wrong passwords for one letter before it locks, and for how long. */
export const LETTER_LOCK = { maxFailures: 5, lockMinutes: 30 };
/** Failures from one client address, across letters, before that address is refused for a while. */
export const CLIENT_THROTTLE: ThrottleRule = {
  maxFailures: 20,
  windowMinutes: 15,
  lockMinutes: 15,
};

export type LetterCheck =
  | { outcome: 'ok'; letterId: string; residentId: string }
  /** letterLocked is for the audit log only: the person is told no more than "not right". */
  | { outcome: 'invalid'; letterLocked?: true }
  | { outcome: 'client_locked'; until: Date }
  | { outcome: 'expired' | 'used' | 'revoked' };

/**
 * Checks a typed letter ID + password (or a QR link's letter) and the birth date the person
 * confirms. Wrong answers count against the letter and the client address. One generic answer
 * for every wrong input, so the form reveals nothing about which part was wrong or whether the
 * ID exists: a locked letter answers exactly as an unknown ID does, after the same work (a
 * password hash compared, a failure counted against the client), so neither the answer nor
 * its time tells them apart. The generic message says that letters pause after wrong tries.
 */
export async function checkLetter(
  db: Db,
  input: {
    purpose: LetterPurpose;
    code?: string;
    password?: string;
    letterIdFromLink?: string;
    birthDate: string;
    clientKey: string;
  },
  now = new Date(),
): Promise<LetterCheck> {
  const clientLock = await lockedUntil(db, input.clientKey, now);
  if (clientLock) return { outcome: 'client_locked', until: clientLock };

  const letter = await findLetterToCheck(
    db,
    input.purpose,
    input.letterIdFromLink
      ? { id: input.letterIdFromLink }
      : { code: formatLetterCode(normaliseTypedCode(input.code ?? '')) },
  );

  const locked = letter?.lockedUntil != null && letter.lockedUntil > now;
  const passwordOk = input.letterIdFromLink
    ? letter !== undefined
    : await verifySecret(
        normaliseTypedCode(input.password ?? ''),
        letter?.passwordHash ?? DUMMY_SECRET_HASH,
      );
  const birthOk = letter !== undefined && letter.birthDate === input.birthDate;

  if (!letter || locked || !passwordOk || !birthOk) {
    const clientUntil = await recordFailure(db, input.clientKey, CLIENT_THROTTLE, now);
    if (clientUntil) return { outcome: 'client_locked', until: clientUntil };
    if (locked) return { outcome: 'invalid', letterLocked: true };
    if (letter) {
      const failures = letter.failedAttempts + 1;
      const locks = failures >= LETTER_LOCK.maxFailures;
      const until = new Date(now.getTime() + LETTER_LOCK.lockMinutes * 60_000);
      await updateLetterFailures(db, letter.id, {
        failedAttempts: locks ? 0 : failures,
        lockedUntil: locks ? until : null,
      });
      if (locks) return { outcome: 'invalid', letterLocked: true };
    }
    return { outcome: 'invalid' };
  }
  if (letter.revokedAt) return { outcome: 'revoked' };
  if (letter.usedAt) return { outcome: 'used' };
  if (letter.expiresAt <= now) return { outcome: 'expired' };
  await updateLetterFailures(db, letter.id, { failedAttempts: 0 });
  return { outcome: 'ok', letterId: letter.id, residentId: letter.residentId };
}

/** Marks the letter used, once; false when someone used it first. */
export async function markLetterUsed(db: Db, letterId: string, now = new Date()): Promise<boolean> {
  return updateLetterUsed(db, letterId, now);
}
