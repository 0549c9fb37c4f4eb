/**
 * Signing in to the booking site (decision 0045), with a letter's reservation ID and password
 * or with its QR code. Guessing is throttled twice: five wrong passwords for one reservation ID
 * in 15 minutes pause that ID for 15 minutes (whether or not it exists, so the pause says
 * nothing), and twenty failures from one client address in 15 minutes pause that address.
 * One answer for every wrong ID or password. Each attempt is audited without the person's data.
 */
import type { Db } from '../../db/connection.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { DUMMY_SECRET_HASH, normaliseTypedCode, verifySecret } from '../identity/crypto.server.ts';
import { lockedUntil, recordFailure, type ThrottleRule } from '../identity/throttle.server.ts';
import { readReservationId } from '../targets/reservation-id.ts';
import { findRenewalToSignIn, findTargetToSignIn } from './booking-session.repository.server.ts';
import { findMemberTarget } from './booking-flow.repository.server.ts';
import { createBookingSession, endBookingSession } from './booking-session.server.ts';
import { readBookingToken } from './booking-token.server.ts';
import { canSignIn } from './booking.ts';

export const RESERVATION_ID_THROTTLE: ThrottleRule = {
  maxFailures: 5,
  windowMinutes: 15,
  lockMinutes: 15,
};
export const BOOKING_CLIENT_THROTTLE: ThrottleRule = {
  maxFailures: 20,
  windowMinutes: 15,
  lockMinutes: 15,
};

const idKey = (reservationId: string) => `booking:id:${reservationId}`;
const clientKey = (ip: string | null) => `booking:client:${ip ?? 'unknown'}`;

export type BookingSignIn =
  | { outcome: 'signed_in'; token: string; targetId: string }
  /** The typed ID is not a reservation ID at all (its check digit is wrong): nothing counted. */
  | { outcome: 'malformed_id' }
  | { outcome: 'invalid' }
  /** Too many failures for this ID or from this address; try again after `until`. */
  | { outcome: 'locked'; until: Date }
  /** A QR code that is forged, expired or from before a reissue, or a target that cannot book. */
  | { outcome: 'qr_refused' };

const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

async function audit(
  db: Db,
  ip: string | null,
  via: 'password' | 'qr',
  result: {
    targetId?: string;
    targetType?: 'renewal_target';
    outcome: 'success' | 'failure';
    reason?: string;
  },
) {
  await recordAudit(db, {
    actorType: 'anonymous',
    actorId: null,
    action: 'booking.sign_in',
    targetType: result.targetId ? (result.targetType ?? 'pickup_target') : null,
    targetId: result.targetId ?? null,
    outcome: result.outcome,
    ip,
    details: { via, ...(result.reason ? { reason: result.reason } : {}) },
  });
}

export async function signInWithPassword(
  db: Db,
  input: { reservationId: string; password: string; ip: string | null },
  now = new Date(),
): Promise<BookingSignIn> {
  const reservationId = readReservationId(input.reservationId);
  if (!reservationId) return { outcome: 'malformed_id' };
  const locked = later(
    await lockedUntil(db, idKey(reservationId), now),
    await lockedUntil(db, clientKey(input.ip), now),
  );
  if (locked) {
    await audit(db, input.ip, 'password', { outcome: 'failure', reason: 'locked' });
    return { outcome: 'locked', until: locked };
  }
  // A pickup target's letter, or a renewal target's form (decision 0055): one ID names one.
  const pickup = await findTargetToSignIn(db, { reservationId });
  const renewal = pickup ? undefined : await findRenewalToSignIn(db, reservationId);
  const target = pickup ?? renewal;
  const passwordOk = await verifySecret(
    normaliseTypedCode(input.password),
    target?.passwordHash ?? DUMMY_SECRET_HASH,
  );
  const mayBook = pickup ? canSignIn(pickup.state) : renewal?.state === 'active';
  if (!target || !passwordOk || !mayBook) {
    const lockNow = later(
      await recordFailure(db, idKey(reservationId), RESERVATION_ID_THROTTLE, now),
      await recordFailure(db, clientKey(input.ip), BOOKING_CLIENT_THROTTLE, now),
    );
    const reason = !target || !passwordOk ? 'wrong_credentials' : `state_${target.state}`;
    await audit(db, input.ip, 'password', {
      targetId: passwordOk ? target?.id : undefined,
      outcome: 'failure',
      reason,
    });
    if (lockNow) return { outcome: 'locked', until: lockNow };
    return { outcome: 'invalid' };
  }
  const { token } = await createBookingSession(
    db,
    {
      municipalityCode: target.municipalityCode,
      credentialsVersion: target.credentialsVersion,
      ...(renewal ? { renewalTargetId: target.id } : { targetId: target.id }),
    },
    'password',
    now,
  );
  await audit(db, input.ip, 'password', {
    targetId: target.id,
    outcome: 'success',
    ...(renewal ? { targetType: 'renewal_target' as const } : {}),
  });
  return { outcome: 'signed_in', token, targetId: target.id };
}

export async function signInWithQr(
  db: Db,
  secrets: Secrets,
  input: { token: string; ip: string | null },
  now = new Date(),
): Promise<BookingSignIn> {
  const locked = await lockedUntil(db, clientKey(input.ip), now);
  if (locked) {
    await audit(db, input.ip, 'qr', { outcome: 'failure', reason: 'locked' });
    return { outcome: 'locked', until: locked };
  }
  const claims = readBookingToken(secrets, input.token, now);
  const target = claims
    ? await findTargetToSignIn(db, {
        municipalityCode: claims.municipalityCode,
        targetId: claims.targetId,
      })
    : undefined;
  const reason = !claims
    ? 'token_invalid'
    : !target
      ? 'target_unknown'
      : target.credentialsVersion !== claims.version
        ? 'credentials_changed'
        : !canSignIn(target.state)
          ? `state_${target.state}`
          : null;
  if (reason || !target) {
    const lockNow = await recordFailure(db, clientKey(input.ip), BOOKING_CLIENT_THROTTLE, now);
    await audit(db, input.ip, 'qr', {
      targetId: target?.id,
      outcome: 'failure',
      reason: reason ?? undefined,
    });
    if (lockNow) return { outcome: 'locked', until: lockNow };
    return { outcome: 'qr_refused' };
  }
  const { token } = await createBookingSession(
    db,
    {
      municipalityCode: target.municipalityCode,
      targetId: target.id,
      credentialsVersion: target.credentialsVersion,
    },
    'qr',
    now,
  );
  await audit(db, input.ip, 'qr', { targetId: target.id, outcome: 'success' });
  return { outcome: 'signed_in', token, targetId: target.id };
}

/** Signing out of the booking site: the session ends, recorded. */
export async function signOutOfBooking(
  db: Db,
  session: { id: string; targetId: string },
  ip: string | null,
  now = new Date(),
): Promise<void> {
  await endBookingSession(db, session.id, now);
  await recordAudit(db, {
    actorType: 'anonymous',
    actorId: null,
    action: 'booking.sign_out',
    targetType: 'pickup_target',
    targetId: session.targetId,
    outcome: 'success',
    ip,
  });
}

export type MemberCheck =
  | { outcome: 'verified'; targetId: string; reservationId: string }
  | { outcome: 'malformed_id' }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; until: Date }
  /** The member's card cannot be booked for (not printed yet, handed over, cancelled). */
  | { outcome: 'cannot_book' };

/**
 * A household member added to a booking (decision 0052): their reservation ID with its
 * password or date of birth, under the very throttle of the sign-in (the same keys, the same
 * rules), so the people step is no side door for guessing. Only within the signed-in city.
 * For an e-certificate renewal booking (`subject: 'renewal'`) the member is a renewal target,
 * bookable while active (decision 0055 addendum): a household books its renewals together.
 */
export async function verifyHouseholdMember(
  db: Db,
  input: {
    municipalityCode: string;
    reservationId: string;
    password?: string;
    birthDate?: string;
    ip: string | null;
    subject?: 'pickup' | 'renewal';
  },
  now = new Date(),
): Promise<MemberCheck> {
  const subject = input.subject ?? 'pickup';
  const reservationId = readReservationId(input.reservationId);
  if (!reservationId) return { outcome: 'malformed_id' };
  const locked = later(
    await lockedUntil(db, idKey(reservationId), now),
    await lockedUntil(db, clientKey(input.ip), now),
  );
  if (locked) return { outcome: 'locked', until: locked };
  const target = await findMemberTarget(db, reservationId, subject);
  const sameCity = target?.municipalityCode === input.municipalityCode;
  const ok =
    input.password !== undefined
      ? await verifySecret(
          normaliseTypedCode(input.password),
          (sameCity && target?.passwordHash) || DUMMY_SECRET_HASH,
        )
      : Boolean(sameCity && input.birthDate && target?.birthDate === input.birthDate);
  const via = input.password !== undefined ? 'password' : 'birth_date';
  if (!target || !sameCity || !ok) {
    const lockNow = later(
      await recordFailure(db, idKey(reservationId), RESERVATION_ID_THROTTLE, now),
      await recordFailure(db, clientKey(input.ip), BOOKING_CLIENT_THROTTLE, now),
    );
    await recordAudit(db, {
      actorType: 'anonymous',
      actorId: null,
      action: 'booking.verify_member',
      targetType: null,
      targetId: null,
      outcome: 'failure',
      ip: input.ip,
      details: { via, reason: 'wrong_credentials' },
    });
    return lockNow ? { outcome: 'locked', until: lockNow } : { outcome: 'invalid' };
  }
  await recordAudit(db, {
    actorType: 'anonymous',
    actorId: null,
    action: 'booking.verify_member',
    targetType: subject === 'renewal' ? 'renewal_target' : 'pickup_target',
    targetId: target.id,
    outcome: 'success',
    ip: input.ip,
    details: { via },
  });
  const bookable = subject === 'renewal' ? ['active'] : ['letter_printed', 'booked'];
  if (!bookable.includes(target.state)) return { outcome: 'cannot_book' };
  return { outcome: 'verified', targetId: target.id, reservationId };
}
