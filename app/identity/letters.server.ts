import type { Db } from '../../db/connection.ts';
import type { LetterPurpose } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import {
  DUMMY_SECRET_HASH,
  hashSecret,
  normaliseTypedCode,
  randomCode,
  seal,
  signToken,
  unseal,
  verifySecret,
  verifyToken,
} from './crypto.server.ts';
import { lockedUntil, recordFailure, type ThrottleRule } from './throttle.server.ts';

/**
 * Letters carry a one-time credential on paper: a letter ID and a password (and a QR code
 * with a signed, expiring link). First access uses them now; pickup and renewal
 * reservations will use the same machinery.
 */
export const LETTER_VALID_DAYS: Record<LetterPurpose, number> = {
  first_access: 90,
  pickup: 120,
  renewal: 120,
};
/** Wrong passwords for one letter before it locks, and for how long. */
export const LETTER_LOCK = { maxFailures: 5, lockMinutes: 30 };
/** Failures from one client address, across letters, before that address is refused for a while. */
export const CLIENT_THROTTLE: ThrottleRule = {
  maxFailures: 20,
  windowMinutes: 15,
  lockMinutes: 15,
};
const QR_TOKEN_DAYS = 30;

export type IssuedLetter = {
  id: string;
  code: string;
  password: string;
  expiresAt: Date;
  issuedAt: Date;
};

const formatCode = (raw: string) => `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;

export async function issueLetter(
  db: Db,
  secrets: Secrets,
  input: {
    residentId: string;
    purpose: LetterPurpose;
    issuedBy: string | null;
    idempotencyKey?: string;
  },
  now = new Date(),
): Promise<IssuedLetter> {
  if (input.idempotencyKey) {
    const existing = await db
      .selectFrom('letter')
      .selectAll()
      .where('idempotencyKey', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing) return printableLetter(secrets, existing);
  }
  const password = randomCode(10);
  const expiresAt = new Date(now.getTime() + LETTER_VALID_DAYS[input.purpose] * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('letter')
      .values({
        code: formatCode(randomCode(12)),
        purpose: input.purpose,
        residentId: input.residentId,
        passwordHash: await hashSecret(password),
        passwordSealed: seal(secrets.key('letter-password'), password),
        issuedBy: input.issuedBy,
        expiresAt,
        idempotencyKey: input.idempotencyKey ?? null,
      })
      .onConflict((oc) => oc.column('idempotencyKey').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      // A concurrent double submit won the race: show that letter.
      const winner = await trx
        .selectFrom('letter')
        .selectAll()
        .where('idempotencyKey', '=', input.idempotencyKey ?? '')
        .executeTakeFirstOrThrow();
      return printableLetter(secrets, winner);
    }
    // Only after our insert won: a new letter replaces any unused one of the same purpose,
    // so only the newest works (a losing double submit never revokes the winner).
    await trx
      .updateTable('letter')
      .set({ revokedAt: now })
      .where('residentId', '=', input.residentId)
      .where('purpose', '=', input.purpose)
      .where('id', '!=', row.id)
      .where('usedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .execute();
    return {
      id: row.id,
      code: row.code,
      password,
      expiresAt: row.expiresAt,
      issuedAt: row.issuedAt,
    };
  });
}

function printableLetter(
  secrets: Secrets,
  row: { id: string; code: string; passwordSealed: string | null; expiresAt: Date; issuedAt: Date },
): IssuedLetter {
  if (!row.passwordSealed) throw new Error('letter already used: its password is gone');
  return {
    id: row.id,
    code: row.code,
    password: unseal(secrets.key('letter-password'), row.passwordSealed),
    expiresAt: row.expiresAt,
    issuedAt: row.issuedAt,
  };
}

/** The letter with its password again, for reprinting, while it is unused. */
export async function findPrintableLetter(db: Db, secrets: Secrets, letterId: string) {
  const row = await db
    .selectFrom('letter')
    .innerJoin('resident', 'resident.id', 'letter.residentId')
    .select([
      'letter.id',
      'letter.code',
      'letter.purpose',
      'letter.passwordSealed',
      'letter.expiresAt',
      'letter.issuedAt',
      'letter.usedAt',
      'letter.revokedAt',
      'resident.id as residentId',
      'resident.name',
      'resident.nameKana',
      'resident.address',
      'resident.municipalityName',
    ])
    .where('letter.id', '=', letterId)
    .executeTakeFirst();
  if (!row || !row.passwordSealed || row.usedAt || row.revokedAt) return null;
  return { ...row, password: unseal(secrets.key('letter-password'), row.passwordSealed) };
}

/** The QR code's link token: proves possession of the letter, expires well before the letter. */
export function letterLinkToken(
  secrets: Secrets,
  letter: { id: string },
  now = new Date(),
): string {
  return signToken(
    secrets.key('letter-link'),
    { l: letter.id },
    new Date(now.getTime() + QR_TOKEN_DAYS * 86_400_000),
  );
}

export function readLetterLinkToken(secrets: Secrets, token: string): string | null {
  return verifyToken<{ l: string }>(secrets.key('letter-link'), token)?.l ?? null;
}

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

  const query = db
    .selectFrom('letter')
    .innerJoin('resident', 'resident.id', 'letter.residentId')
    .select([
      'letter.id',
      'letter.residentId',
      'letter.passwordHash',
      'letter.expiresAt',
      'letter.usedAt',
      'letter.revokedAt',
      'letter.lockedUntil',
      'letter.failedAttempts',
      'resident.birthDate',
    ])
    .where('letter.purpose', '=', input.purpose);
  const letter = input.letterIdFromLink
    ? await query.where('letter.id', '=', input.letterIdFromLink).executeTakeFirst()
    : await query
        .where('letter.code', '=', formatCode(normaliseTypedCode(input.code ?? '')))
        .executeTakeFirst();

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
      await db
        .updateTable('letter')
        .set({ failedAttempts: locks ? 0 : failures, lockedUntil: locks ? until : null })
        .where('id', '=', letter.id)
        .execute();
      if (locks) return { outcome: 'invalid', letterLocked: true };
    }
    return { outcome: 'invalid' };
  }
  if (letter.revokedAt) return { outcome: 'revoked' };
  if (letter.usedAt) return { outcome: 'used' };
  if (letter.expiresAt <= now) return { outcome: 'expired' };
  await db.updateTable('letter').set({ failedAttempts: 0 }).where('id', '=', letter.id).execute();
  return { outcome: 'ok', letterId: letter.id, residentId: letter.residentId };
}

/** Marks the letter used, once; false when someone used it first. */
export async function markLetterUsed(db: Db, letterId: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('letter')
    .set({ usedAt: now, passwordSealed: null })
    .where('id', '=', letterId)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
