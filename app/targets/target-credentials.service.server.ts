/**
 * Reservation credentials for the letters (decision 0042). A target gets its reservation ID and
 * password once; printing the letter again shows the same password (unsealed), never a new one.
 * Only reissueCredentials gives a new password, and bumps the version QR codes carry.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { hashSecret, randomCode, seal, unseal } from '../identity/crypto.server.ts';
import { newReservationId } from './reservation-id.ts';
import {
  type CredentialTable,
  findCredentialsOf,
  updateCredentialsIfNone,
  updateCredentialsReissued,
} from './target-credentials.repository.server.ts';
import { endBookingSessionsOfTarget } from '../reservations/booking-session.repository.server.ts';

export type LetterCredentials = {
  targetId: string;
  reservationId: string;
  password: string;
  version: number;
};

const PASSWORD_LENGTH = 8;
const SEAL_PURPOSE = 'target-password';

async function newCredentials(secrets: Secrets) {
  const password = randomCode(PASSWORD_LENGTH);
  return {
    reservationId: newReservationId(),
    passwordHash: await hashSecret(password),
    passwordSealed: seal(secrets.key(SEAL_PURPOSE), password),
  };
}

/** The password a letter prints, from its sealed copy. */
export const unsealPassword = (secrets: Secrets, sealed: string) =>
  unseal(secrets.key(SEAL_PURPOSE), sealed);

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

/**
 * The credentials of these targets for printing, in the caller's transaction: created for
 * those that have none, the same as before for the others (locked while it runs).
 */
export async function credentialsInTransaction(
  trx: Transaction<Database>,
  secrets: Secrets,
  municipalityCode: string,
  targetIds: readonly string[],
  now: Date,
  table: CredentialTable = 'pickupTarget',
): Promise<{ credentials: LetterCredentials[]; created: number }> {
  const existing = await findCredentialsOf(
    trx,
    municipalityCode,
    targetIds,
    { forUpdate: true },
    table,
  );
  let created = 0;
  for (const target of existing.filter((t) => t.reservationId === null)) {
    const fresh = { ...(await newCredentials(secrets)), credentialsIssuedAt: now };
    await updateCredentialsIfNone(trx, municipalityCode, target.id, fresh, table);
    created++;
  }
  const rows = await findCredentialsOf(trx, municipalityCode, targetIds, {}, table);
  return {
    created,
    credentials: rows.map((r) => ({
      targetId: r.id,
      reservationId: r.reservationId!,
      password: unseal(secrets.key(SEAL_PURPOSE), r.passwordSealed!),
      version: r.credentialsVersion,
    })),
  };
}

/** Runs `work` again (at most three times) when a reservation ID was drawn twice. */
export async function retryOnDuplicateId<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/**
 * The credentials of these targets for printing: created for those that have none, the same
 * as before for the others. One transaction with its audit entry ('targets.credentials');
 * a reservation ID drawn twice (one in a billion per pair) retries the batch.
 */
export async function credentialsForLetters(
  db: Db,
  secrets: Secrets,
  actor: AuditActor,
  municipalityCode: string,
  targetIds: readonly string[],
  now = new Date(),
): Promise<LetterCredentials[]> {
  return retryOnDuplicateId(() =>
    db.transaction().execute(async (trx) => {
      const { credentials, created } = await credentialsInTransaction(
        trx,
        secrets,
        municipalityCode,
        targetIds,
        now,
      );
      await recordAudit(trx, {
        ...actor,
        action: 'targets.credentials',
        outcome: 'success',
        details: { targets: credentials.length, created },
      });
      return credentials;
    }),
  );
}

/**
 * A new password for one target (lost letter or form): older letters and QR codes stop
 * working. `table` 'renewalTarget' reissues a renewal target's (decision 0055).
 */
export async function reissueCredentials(
  db: Db,
  secrets: Secrets,
  actor: AuditActor,
  municipalityCode: string,
  targetId: string,
  now = new Date(),
  table: CredentialTable = 'pickupTarget',
): Promise<LetterCredentials | null> {
  const fresh = await newCredentials(secrets);
  const renewal = table === 'renewalTarget';
  return db.transaction().execute(async (trx) => {
    const row = await updateCredentialsReissued(
      trx,
      municipalityCode,
      targetId,
      {
        passwordHash: fresh.passwordHash,
        passwordSealed: fresh.passwordSealed,
        credentialsIssuedAt: now,
      },
      table,
    );
    if (!row) return null;
    // Whoever is signed in to the booking site with the old password is signed out.
    const endedSessions = await endBookingSessionsOfTarget(
      trx,
      municipalityCode,
      renewal ? { renewalTargetId: targetId } : { targetId },
      now,
    );
    await recordAudit(trx, {
      ...actor,
      action: renewal ? 'renewals.credentials_reissue' : 'targets.credentials_reissue',
      targetType: renewal ? 'renewal_target' : 'pickup_target',
      targetId,
      outcome: 'success',
      details: { version: row.credentialsVersion, endedSessions },
    });
    return {
      targetId,
      reservationId: row.reservationId!,
      password: unseal(secrets.key(SEAL_PURPOSE), fresh.passwordSealed),
      version: row.credentialsVersion,
    };
  });
}
