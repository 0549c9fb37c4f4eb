import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import {
  hashSecret,
  randomCode,
  seal,
  signToken,
  unseal,
  verifyToken,
} from '../identity/crypto.server.ts';
import {
  findLetterById,
  findLetterByIdempotencyKey,
  findLetterWithResident,
  insertLetter,
  lockLetterIssue,
  revokeUnusedLettersExcept,
} from './letter.repository.server.ts';
import {
  formatLetterCode,
  LETTER_ENTRY_PATH,
  letterStatus,
  letterTargets,
  type LetterPurpose,
} from './letter.ts';
import { qrCodeSvg } from './qr.server.ts';

/**
 * Letters carry a one-time credential on paper: a letter ID and a password (and a QR code
 * with a signed, expiring link). First access uses them now; pickup and renewal
 * reservations will use the same machinery. Issuing and printing live here; checking a
 * typed letter is letter-check.service.server.ts.
 */
const LETTER_VALID_DAYS: Record<LetterPurpose, number> = {
  first_access: 90,
  pickup: 120,
  renewal: 120,
};
const QR_TOKEN_DAYS = 30;

export type IssuedLetter = {
  id: string;
  code: string;
  password: string;
  expiresAt: Date;
  issuedAt: Date;
};

type IssueInput = {
  residentId: string;
  purpose: LetterPurpose;
  issuedBy: string | null;
  idempotencyKey?: string;
};

type Issuing =
  | { outcome: 'issued'; letter: IssuedLetter }
  | {
      outcome: 'replayed';
      earlier: NonNullable<Awaited<ReturnType<typeof findLetterByIdempotencyKey>>>;
    }
  | { outcome: 'conflict' };

/**
 * The one way a letter is issued, in one transaction: the caller's when given one (so what
 * the caller records with it commits with the letter or not at all), else its own. The
 * resident's issuing lock comes first (transaction-scoped: released at commit or rollback,
 * on the transaction's own connection), so for one resident everything below runs one
 * transaction at a time: a second submission of the same form waits, then finds the first's
 * letter by its key and issues nothing; two staff issuing at once leave only the later letter
 * usable. The key's unique index answers the one case the lock does not serialise: the same
 * key sent for another resident.
 */
async function issue(
  db: Db | Transaction<Database>,
  secrets: Secrets,
  input: IssueInput,
  now: Date,
): Promise<Issuing> {
  // Hashing is slow on purpose: done before the lock is taken.
  const password = randomCode(10);
  const passwordHash = await hashSecret(password);
  const passwordSealed = seal(secrets.key('letter-password'), password);
  const inTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
  return inTransaction(async (trx) => {
    await lockLetterIssue(trx, input.residentId);
    if (input.idempotencyKey) {
      const earlier = await findLetterByIdempotencyKey(trx, input.idempotencyKey);
      if (earlier)
        return earlier.residentId === input.residentId
          ? { outcome: 'replayed', earlier }
          : { outcome: 'conflict' };
    }
    const row = await insertLetter(trx, {
      code: formatLetterCode(randomCode(12)),
      purpose: input.purpose,
      residentId: input.residentId,
      passwordHash,
      passwordSealed,
      issuedBy: input.issuedBy,
      expiresAt: new Date(now.getTime() + LETTER_VALID_DAYS[input.purpose] * 86_400_000),
      idempotencyKey: input.idempotencyKey ?? null,
    });
    if (!row) return { outcome: 'conflict' };
    await revokeUnusedLettersExcept(trx, { ...input, id: row.id }, now);
    return { outcome: 'issued', letter: { ...row, password } };
  });
}

/**
 * Issues a letter (replacing the resident's unused one of the same purpose) and gives its
 * password. With an idempotency key, issuing again gives back the same letter and password.
 */
export async function issueLetter(
  db: Db | Transaction<Database>,
  secrets: Secrets,
  input: IssueInput,
  now = new Date(),
): Promise<IssuedLetter> {
  const result = await issue(db, secrets, input, now);
  if (result.outcome === 'issued') return result.letter;
  if (result.outcome === 'conflict')
    throw new Error("issueLetter: the idempotency key names another resident's letter");
  const { earlier } = result;
  if (!earlier.passwordSealed) throw new Error('letter already used: its password is gone');
  return {
    id: earlier.id,
    code: earlier.code,
    password: unseal(secrets.key('letter-password'), earlier.passwordSealed),
    expiresAt: earlier.expiresAt,
    issuedAt: earlier.issuedAt,
  };
}

export type IssueOutcome =
  | { outcome: 'issued' | 'replayed'; letterId: string }
  /** The key already names another resident's letter: a forged or mixed-up form. */
  | { outcome: 'conflict' };

/**
 * Issues a letter once per idempotency key (the key travels in the form, so a double click or
 * a resubmitted page gives back the first letter instead of revoking it with a second). Given
 * a transaction, issues in it: the caller's audit entry then commits with the letter.
 */
export async function issueLetterOnce(
  db: Db | Transaction<Database>,
  secrets: Secrets,
  input: IssueInput & { idempotencyKey: string },
  now = new Date(),
): Promise<IssueOutcome> {
  const result = await issue(db, secrets, input, now);
  if (result.outcome === 'conflict') return result;
  return result.outcome === 'issued'
    ? { outcome: 'issued', letterId: result.letter.id }
    : { outcome: 'replayed', letterId: result.earlier.id };
}

/** The letter with its password again, for reprinting, while it is unused. */
export async function findPrintableLetter(db: Db, secrets: Secrets, letterId: string) {
  const row = await findLetterWithResident(db, letterId);
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

type PrintableLetterView = {
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
