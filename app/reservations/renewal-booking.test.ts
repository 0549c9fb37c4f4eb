/**
 * E-certificate renewal bookings (decision 0055): renewal targets get a reservation ID and
 * password on their printed form (the same on every print, a new password on reissue), sign
 * in to the booking site with them, book 'cert_renewal' once at a time, and the clerk marks
 * them renewed from the booking.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { renewalWithForm as formOf, useRenewalClerk } from '../../test/support/renewals.ts';
import { insertTargets } from '../../test/support/targets.ts';
import {
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { readReservationId } from '../targets/reservation-id.ts';
import { printRenewalForms } from '../targets/renewal-output.service.server.ts';
import { closeRenewalTarget, searchRenewals } from '../targets/renewal.service.server.ts';
import {
  credentialsForLetters,
  reissueCredentials,
} from '../targets/target-credentials.service.server.ts';
import { readBookingSession } from './booking-session.server.ts';
import { heldBooking } from './booking-flow.service.server.ts';
import { signInWithPassword } from './booking-sign-in.service.server.ts';
import { book, cancelBooking } from './booking.service.server.ts';
import { renewFromBooking } from './renewal-booking.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '990255';
const clerk = useRenewalClerk(db, ['renewals:manage']);
let facilityId = '';
let serialIp = 0;
const freshIp = () => `198.51.100.${++serialIp}`;

beforeAll(async () => {
  facilityId = await insertFacility(db(), CITY);
});

/** A renewal target with its printed form's credentials. */
const renewalWithForm = () => formOf(db(), secrets, clerk(), CITY);

let hour = 0;
async function freshSlot(capacity = 5) {
  const startsAt = new Date(futureWorkingMorning(8).getTime() + (hour++ % 8) * 3600_000);
  return insertSlot(db(), CITY, facilityId, { startsAt, capacity });
}

const renewalBooking = (slotId: string, targetIds: string[]) =>
  book(db(), clerk(), {
    municipalityCode: CITY,
    kind: 'cert_renewal',
    slotId,
    members: targetIds.map((targetId) => ({ targetId, verifiedBy: 'session' as const })),
    email: 'renew@example.jp',
    locale: 'ja',
    idempotencyKey: randomUUID(),
    via: 'letter',
  });

describe('renewal targets’ credentials', () => {
  it('are printed on the form, the same on every print, a new password on reissue', async () => {
    const form = await renewalWithForm();
    expect(readReservationId(form.reservationId)).toBe(form.reservationId);
    expect(form.password).toMatch(/^[0-9A-Z]{8}$/);
    const [again] = (await printRenewalForms(db(), secrets, clerk(), CITY, [form.id]))!;
    expect(again).toMatchObject({ reservationId: form.reservationId, password: form.password });

    const signedIn = await signInWithPassword(db(), { ...form, ip: freshIp() });
    expect(signedIn).toMatchObject({ outcome: 'signed_in', targetId: form.id });
    const reissued = await reissueCredentials(
      db(),
      secrets,
      clerk(),
      CITY,
      form.id,
      new Date(),
      'renewalTarget',
    );
    expect(reissued).toMatchObject({ reservationId: form.reservationId, version: 1 });
    expect(reissued!.password).not.toBe(form.password);
    // The session opened with the old password has ended; the old password no longer works.
    if (signedIn.outcome === 'signed_in')
      expect(await readBookingSession(db(), signedIn.token)).toBeNull();
    expect(await signInWithPassword(db(), { ...form, ip: freshIp() })).toEqual({
      outcome: 'invalid',
    });
  });

  it('find the person by the reservation ID as typed from the form (hyphens, full width)', async () => {
    const form = await renewalWithForm();
    const id = form.reservationId;
    const typed = `${id.slice(0, 4)}－${id.slice(4, 8)}-${id.slice(8)}`.replace(/[0-9]/g, (d) =>
      String.fromCharCode(d.charCodeAt(0) + 0xfee0),
    );
    for (const reservationId of [id, typed]) {
      const found = await searchRenewals(db(), clerk(), CITY, { reservationId });
      expect(found).toMatchObject({ outcome: 'found', renewals: [{ id: form.id }] });
    }
    expect(await searchRenewals(db(), clerk(), '990299', { reservationId: id })).toMatchObject({
      outcome: 'found',
      renewals: [],
    });
  });

  it('never repeat a pickup target’s reservation ID', async () => {
    const form = await renewalWithForm();
    const [pickup] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const [letter] = await credentialsForLetters(db(), secrets, clerk(), CITY, [pickup!]);
    await expect(
      db()
        .updateTable('renewalTarget')
        .set({ reservationId: letter!.reservationId })
        .where('id', '=', form.id)
        .execute(),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('signing in and booking a renewal', () => {
  it('signs in with the form and books cert_renewal once; the clerk marks it renewed', async () => {
    const form = await renewalWithForm();
    const signedIn = await signInWithPassword(db(), { ...form, ip: freshIp() });
    if (signedIn.outcome !== 'signed_in') throw new Error(signedIn.outcome);
    expect(await readBookingSession(db(), signedIn.token)).toMatchObject({
      subject: 'renewal',
      targetId: form.id,
      reservationId: form.reservationId,
      name: '更新 花子',
    });

    const slotId = await freshSlot();
    const first = await renewalBooking(slotId, [form.id]);
    expect(first).toMatchObject({ outcome: 'booked' });
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 5, taken: 1 });
    // One active booking per renewal target.
    expect(await renewalBooking(await freshSlot(), [form.id])).toEqual({
      outcome: 'member_already_booked',
      targetIds: [form.id],
    });
    if (first.outcome !== 'booked') return;
    // The booking site shows it to the renewal target as theirs.
    expect(await heldBooking(db(), CITY, form.id)).toMatchObject({
      id: first.bookingId,
      kind: 'cert_renewal',
      reservationIds: [form.reservationId],
    });
    expect(await renewFromBooking(db(), clerk(), CITY, first.bookingId)).toEqual({
      outcome: 'renewed',
      renewed: [form.id],
      notActive: [],
    });
    // Renewed: no more booking site.
    expect(await readBookingSession(db(), signedIn.token)).toBeNull();
  });

  it('frees the place on cancel and refuses pickup targets and cleared renewal targets', async () => {
    const form = await renewalWithForm();
    const slotId = await freshSlot();
    const first = await renewalBooking(slotId, [form.id]);
    if (first.outcome !== 'booked') throw new Error(first.outcome);
    await cancelBooking(db(), clerk(), CITY, first.bookingId, { staffId: clerk().actorId });
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 5, taken: 0 });
    expect(await renewalBooking(slotId, [form.id])).toMatchObject({ outcome: 'booked' });

    const [pickup] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    expect(await renewalBooking(slotId, [pickup!])).toEqual({
      outcome: 'member_cannot_book',
      targetIds: [pickup],
    });
    const cleared = await renewalWithForm();
    await closeRenewalTarget(
      db(),
      clerk(),
      { municipalityCode: CITY, id: cleared.id },
      { state: 'cleared', reason: 'moved_out', note: null },
    );
    expect(await renewalBooking(slotId, [cleared.id])).toMatchObject({
      outcome: 'member_cannot_book',
    });
    expect(await signInWithPassword(db(), { ...cleared, ip: freshIp() })).toEqual({
      outcome: 'invalid',
    });
  });
});
