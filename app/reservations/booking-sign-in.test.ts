/**
 * Signing in to the booking site (decision 0045): with the letter's ID and password, with its
 * QR code, refused when forged, expired or issued before a reissue, throttled against
 * guessing, and a booking session that ends on reissue, sign-out and idle time.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { insertTargets } from '../../test/support/targets.ts';
import {
  credentialsForLetters,
  reissueCredentials,
} from '../targets/target-credentials.service.server.ts';
import { newReservationId } from '../targets/reservation-id.ts';
import { BOOKING_SESSION_POLICY, readBookingSession } from './booking-session.server.ts';
import {
  RESERVATION_ID_THROTTLE,
  signInWithPassword,
  signInWithQr,
  signOutOfBooking,
} from './booking-sign-in.service.server.ts';
import { signBookingToken } from './booking-token.server.ts';
import { loadSecrets } from '../platform/secrets.server.ts';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '142107';
const clerk = { actorType: 'staff' as const, actorId: null, onBehalfOfResidentId: null, ip: null };
const inAnHour = () => new Date(Date.now() + 3600_000);
let serialIp = 0;
const freshIp = () => `198.51.100.${++serialIp}`;

async function printedTarget(state: 'setup_done' | 'letter_printed' = 'letter_printed') {
  const [id] = await insertTargets(db(), { city: CITY, count: 1, state });
  const [credentials] = await credentialsForLetters(db(), secrets, clerk, CITY, [id!]);
  return credentials!;
}

/** Signs in with what a letter prints, from a fresh address. */
const withLetter = (letter: { reservationId: string; password: string }) =>
  signInWithPassword(db(), {
    reservationId: letter.reservationId,
    password: letter.password,
    ip: freshIp(),
  });

const qrToken = (targetId: string, version: number, expiresAt = inAnHour(), s = secrets) =>
  signBookingToken(s, { municipalityCode: CITY, targetId, version }, expiresAt);

describe('signing in with the reservation ID and password', () => {
  it('opens a booking session that says who is signed in', async () => {
    const letter = await printedTarget();
    const typed = `${letter.reservationId.slice(0, 3)}-${letter.reservationId.slice(3)}`;
    const result = await signInWithPassword(db(), {
      reservationId: typed,
      password: letter.password.toLowerCase(),
      ip: freshIp(),
    });
    expect(result).toMatchObject({ outcome: 'signed_in', targetId: letter.targetId });
    if (result.outcome !== 'signed_in') return;
    const session = await readBookingSession(db(), result.token);
    expect(session).toMatchObject({
      targetId: letter.targetId,
      reservationId: letter.reservationId,
      municipalityCode: CITY,
    });
    expect(session!.name).toMatch(/^髙﨑 𠮷子/);

    await signOutOfBooking(db(), session!, null);
    expect(await readBookingSession(db(), result.token)).toBeNull();
  });

  it('answers a typo in the ID without counting it, and a wrong password generically', async () => {
    const letter = await printedTarget();
    const ip = freshIp();
    const wrongDigit = `${(Number(letter.reservationId[0]) + 1) % 10}${letter.reservationId.slice(1)}`;
    expect(
      await signInWithPassword(db(), { reservationId: wrongDigit, password: 'X', ip }),
    ).toEqual({ outcome: 'malformed_id' });
    expect(
      await signInWithPassword(db(), {
        reservationId: letter.reservationId,
        password: 'WRONG123',
        ip,
      }),
    ).toEqual({ outcome: 'invalid' });
    expect(
      await signInWithPassword(db(), {
        reservationId: newReservationId(),
        password: letter.password,
        ip,
      }),
    ).toEqual({ outcome: 'invalid' });
  });

  it('pauses an ID after five wrong passwords, even for the right one, from any address', async () => {
    const letter = await printedTarget();
    for (let i = 1; i < RESERVATION_ID_THROTTLE.maxFailures; i++)
      expect(
        await signInWithPassword(db(), {
          reservationId: letter.reservationId,
          password: `WRONG${i}`,
          ip: freshIp(),
        }),
      ).toEqual({ outcome: 'invalid' });
    const fifth = await signInWithPassword(db(), {
      reservationId: letter.reservationId,
      password: 'WRONG5',
      ip: freshIp(),
    });
    expect(fifth).toMatchObject({ outcome: 'locked' });
    const right = await signInWithPassword(db(), {
      reservationId: letter.reservationId,
      password: letter.password,
      ip: freshIp(),
    });
    expect(right).toMatchObject({ outcome: 'locked' });
    if (right.outcome !== 'locked') return;
    expect(right.until.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    const afterPause = new Date(Date.now() + 16 * 60_000);
    expect(
      await signInWithPassword(
        db(),
        { reservationId: letter.reservationId, password: letter.password, ip: freshIp() },
        afterPause,
      ),
    ).toMatchObject({ outcome: 'signed_in' });
  });

  it('pauses a client address after twenty failures across IDs', async () => {
    const ip = freshIp();
    for (let i = 0; i < 19; i++)
      await signInWithPassword(db(), { reservationId: newReservationId(), password: 'X', ip });
    expect(
      await signInWithPassword(db(), { reservationId: newReservationId(), password: 'X', ip }),
    ).toMatchObject({ outcome: 'locked' });
    const letter = await printedTarget();
    expect(
      await signInWithPassword(db(), {
        reservationId: letter.reservationId,
        password: letter.password,
        ip,
      }),
    ).toMatchObject({ outcome: 'locked' });
  });

  it('refuses targets that cannot book: cancelled, issued', async () => {
    for (const state of ['cancelled', 'issued'] as const) {
      const letter = await printedTarget();
      const path = state === 'cancelled' ? ['cancelled'] : ['booked', 'issued'];
      for (const s of path)
        await db()
          .updateTable('pickupTarget')
          .set({ state: s as 'cancelled' })
          .where('id', '=', letter.targetId)
          .execute();
      expect(await withLetter(letter)).toEqual({ outcome: 'invalid' });
      expect(
        await signInWithQr(db(), secrets, { token: qrToken(letter.targetId, 0), ip: freshIp() }),
      ).toEqual({ outcome: 'qr_refused' });
    }
  });
});

describe('signing in with the QR code', () => {
  it('signs in with a genuine token', async () => {
    const letter = await printedTarget('setup_done');
    const result = await signInWithQr(db(), secrets, {
      token: qrToken(letter.targetId, letter.version),
      ip: freshIp(),
    });
    expect(result).toMatchObject({ outcome: 'signed_in', targetId: letter.targetId });
  });

  it('refuses a forged, tampered or expired token', async () => {
    const letter = await printedTarget();
    const ip = freshIp();
    const other = loadSecrets(mkdtempSync(join(tmpdir(), 'madoguchi-other-')));
    const forged = qrToken(letter.targetId, 0, inAnHour(), other);
    const genuine = qrToken(letter.targetId, 0);
    const [body, mac] = genuine.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { v: number };
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, v: 1 })).toString('base64url')}.${mac}`;
    const expired = qrToken(letter.targetId, 0, new Date(Date.now() - 1000));
    for (const token of [forged, tampered, expired, 'garbage', ''])
      expect(await signInWithQr(db(), secrets, { token, ip })).toEqual({
        outcome: 'qr_refused',
      });
    const failures = await db()
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'booking.sign_in')
      .where('ip', '=', ip)
      .execute();
    expect(failures.map((f) => f.details)).toEqual(
      Array(5).fill({ via: 'qr', reason: 'token_invalid' }),
    );
  });

  it('a reissue refuses the old QR code and password and ends open sessions', async () => {
    const letter = await printedTarget();
    const oldToken = qrToken(letter.targetId, letter.version);
    const signedIn = await signInWithQr(db(), secrets, { token: oldToken, ip: freshIp() });
    if (signedIn.outcome !== 'signed_in') throw new Error('not signed in');

    const reissued = await reissueCredentials(db(), secrets, clerk, CITY, letter.targetId);
    expect(reissued!.version).toBe(letter.version + 1);
    expect(await readBookingSession(db(), signedIn.token)).toBeNull();
    expect(await signInWithQr(db(), secrets, { token: oldToken, ip: freshIp() })).toEqual({
      outcome: 'qr_refused',
    });
    expect(await withLetter(letter)).toEqual({ outcome: 'invalid' });
    expect(
      await signInWithQr(db(), secrets, {
        token: qrToken(letter.targetId, reissued!.version),
        ip: freshIp(),
      }),
    ).toMatchObject({ outcome: 'signed_in' });
    const reason = await db()
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'booking.sign_in')
      .where('targetId', '=', letter.targetId)
      .where('outcome', '=', 'failure')
      .execute();
    expect(reason.map((r) => r.details)).toContainEqual({
      via: 'qr',
      reason: 'credentials_changed',
    });
  });
});

describe('booking sessions', () => {
  it('end when idle and never slide past their absolute end', async () => {
    const letter = await printedTarget();
    const start = new Date();
    const result = await signInWithPassword(
      db(),
      { reservationId: letter.reservationId, password: letter.password, ip: freshIp() },
      start,
    );
    if (result.outcome !== 'signed_in') throw new Error('not signed in');
    const idle = BOOKING_SESSION_POLICY.idleMinutes * 60_000;
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await readBookingSession(db(), result.token, at(idle - 1000))).not.toBeNull();
    expect(await readBookingSession(db(), result.token, at(2 * idle - 2000))).not.toBeNull();
    expect(await readBookingSession(db(), result.token, at(4 * idle))).toBeNull();
    expect(await readBookingSession(db(), 'not-a-token')).toBeNull();
  });

  it('are not portal sessions: the portal cookie name and table are not used', async () => {
    const { bookingCookie } = await import('./booking-session.server.ts');
    const cookie = bookingCookie('abc', true);
    expect(cookie).toMatch(
      /^mdg_booking=abc; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/,
    );
    expect(bookingCookie('abc', false)).not.toMatch(/Secure/);
  });
});
