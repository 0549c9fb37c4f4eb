/**
 * The booking site's own session (decision 0045): a cookie of its own, never the portal's,
 * backed by a row in booking_session. It ends when idle, when too old, when the resident signs
 * out, when the target's password is reissued (the version differs) and when the target can
 * no longer book (cancelled, issued).
 */
import type { Db } from '../../db/connection.ts';
import { randomToken, sha256 } from '../identity/crypto.server.ts';
import {
  type BookingSubject,
  findBookingSession,
  insertBookingSession,
  updateBookingSessionEnded,
  updateBookingSessionSeen,
} from './booking-session.repository.server.ts';
import { canSignIn } from './booking.ts';

export const BOOKING_COOKIE = 'mdg_booking';
export const BOOKING_SESSION_POLICY = { idleMinutes: 20, absoluteHours: 4 };
const TOUCH_INTERVAL_MS = 60_000;

const addMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

export function bookingCookie(token: string, secure: boolean): string {
  const maxAge = BOOKING_SESSION_POLICY.absoluteHours * 3600;
  return `${BOOKING_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearBookingCookie(secure: boolean): string {
  return `${BOOKING_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

export function bookingTokenFrom(request: Request): string | undefined {
  const header = request.headers.get('Cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === BOOKING_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

export async function createBookingSession(
  db: Db,
  target: { municipalityCode: string; credentialsVersion: number } & BookingSubject,
  via: BookingSessionVia,
  now = new Date(),
): Promise<{ token: string; id: string }> {
  const token = randomToken();
  const id = await insertBookingSession(db, {
    tokenHash: sha256(token),
    ...target,
    via,
    idleExpiresAt: addMinutes(now, BOOKING_SESSION_POLICY.idleMinutes),
    absoluteExpiresAt: new Date(now.getTime() + BOOKING_SESSION_POLICY.absoluteHours * 3600_000),
  });
  return { token, id };
}

/** How the booking session was opened: the letter's password or QR code, or the portal. */
export type BookingSessionVia = 'password' | 'qr' | 'portal';

export type BookingSession = {
  id: string;
  via: BookingSessionVia;
  /** A pickup target's session, or a renewal target's (decision 0055): targetId is its id. */
  subject: 'pickup' | 'renewal';
  municipalityCode: string;
  targetId: string;
  /** The target's name as the register holds it (shown to the person signed in). */
  name: string;
  reservationId: string;
};

/** The live booking session behind a cookie token, or null. */
export async function readBookingSession(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<BookingSession | null> {
  if (!token || token.length > 100) return null;
  const row = await findBookingSession(db, sha256(token));
  if (!row || row.endedAt) return null;
  if (row.idleExpiresAt <= now || row.absoluteExpiresAt <= now) return null;
  const renewal = row.renewalTargetId !== null;
  const targetId = row.targetId ?? row.renewalTargetId;
  const version = renewal ? row.renewalVersion : row.targetVersion;
  const allowed = renewal ? row.renewalState === 'active' : row.state && canSignIn(row.state);
  const reservationId = renewal ? row.renewalReservationId : row.reservationId;
  const name = renewal ? row.renewalName : row.name;
  if (!targetId || !reservationId || name === null || row.sessionVersion !== version || !allowed)
    return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = addMinutes(now, BOOKING_SESSION_POLICY.idleMinutes);
    await updateBookingSessionSeen(db, row.id, {
      lastSeenAt: now,
      idleExpiresAt: idle < row.absoluteExpiresAt ? idle : row.absoluteExpiresAt,
    });
  }
  return {
    id: row.id,
    via: row.via,
    subject: renewal ? 'renewal' : 'pickup',
    municipalityCode: row.municipalityCode,
    targetId,
    name,
    reservationId,
  };
}

export async function endBookingSession(db: Db, id: string, now = new Date()): Promise<void> {
  await updateBookingSessionEnded(db, id, now);
}
