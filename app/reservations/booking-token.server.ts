/**
 * The token a reservation letter's QR code carries (decision 0045): which target, the version
 * of its credentials when the letter was printed, and when it expires, signed with HMAC-SHA256
 * under a key of its own derived from the installation secret. A reissued password bumps the
 * version, so every QR code printed before is refused.
 */
import type { Secrets } from '../platform/secrets.server.ts';
import { signToken, verifyToken } from '../identity/crypto.server.ts';

const KEY_PURPOSE = 'booking-qr-token';

/** How long a printed QR code signs in: letters are posted and read within weeks. */
export const BOOKING_QR_DAYS = 90;

export type BookingTokenClaims = { municipalityCode: string; targetId: string; version: number };

export function bookingQrExpiry(printedAt: Date): Date {
  return new Date(printedAt.getTime() + BOOKING_QR_DAYS * 24 * 3600_000);
}

export function signBookingToken(
  secrets: Secrets,
  claims: BookingTokenClaims,
  expiresAt: Date,
): string {
  return signToken(
    secrets.key(KEY_PURPOSE),
    { m: claims.municipalityCode, t: claims.targetId, v: claims.version },
    expiresAt,
  );
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function readBookingToken(
  secrets: Secrets,
  token: string,
  now = new Date(),
): BookingTokenClaims | null {
  if (token.length > 400) return null;
  const payload = verifyToken<{ m?: unknown; t?: unknown; v?: unknown }>(
    secrets.key(KEY_PURPOSE),
    token,
    now,
  );
  if (!payload) return null;
  const { m, t, v } = payload;
  if (typeof m !== 'string' || typeof t !== 'string' || typeof v !== 'number') return null;
  return { municipalityCode: m, targetId: t, version: v };
}
