/**
 * E-certificate renewals booked together and by phone (decision 0055 addendum): the people
 * step verifies a renewal target's household member by their form's password or date of birth
 * under the sign-in throttle, book() takes them with how they were verified, a clerk books a
 * renewal by the form's reservation ID, and staff's day list shows a renewal booking's people.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { renewalWithForm as formOf, useRenewalClerk } from '../../test/support/renewals.ts';
import {
  futureWorkingMorning,
  insertFacility,
  insertSlot,
  slotPlaces,
} from '../../test/support/reservations.ts';
import { insertTargets } from '../../test/support/targets.ts';
import { tokyoDate } from '../i18n/dates.ts';
import { closeRenewalTarget } from '../targets/renewal.service.server.ts';
import { credentialsForLetters } from '../targets/target-credentials.service.server.ts';
import { verifyHouseholdMember } from './booking-sign-in.service.server.ts';
import { hasActiveBooking } from './booking-flow.service.server.ts';
import { book } from './booking.service.server.ts';
import { bookByPhone, bookingDetail, dayView } from './staff-days.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '990256';
const clerk = useRenewalClerk(db, ['renewals:manage', 'reservations:manage']);
let facilityId = '';
let serialIp = 0;
const freshIp = () => `198.51.100.${++serialIp}`;

beforeAll(async () => {
  facilityId = await insertFacility(db(), CITY);
});

const renewalWithForm = (birthDate?: string) => formOf(db(), secrets, clerk(), CITY, birthDate);

let hour = 0;
async function freshSlot(capacity = 5) {
  const startsAt = new Date(futureWorkingMorning(9).getTime() + (hour++ % 8) * 3600_000);
  const slotId = await insertSlot(db(), CITY, facilityId, { startsAt, capacity });
  return { slotId, startsAt };
}

describe('a renewal household member on the people step', () => {
  it('is verified by the form’s password or date of birth, only as a renewal target', async () => {
    const member = await renewalWithForm('1958-04-01');
    const check = (
      secret: { password: string } | { birthDate: string },
      subject: 'pickup' | 'renewal' = 'renewal',
    ) =>
      verifyHouseholdMember(db(), {
        municipalityCode: CITY,
        reservationId: member.reservationId,
        ...secret,
        ip: freshIp(),
        subject,
      });
    expect(await check({ password: member.password.toLowerCase() })).toMatchObject({
      outcome: 'verified',
      targetId: member.id,
    });
    expect(await check({ birthDate: '1958-04-01' })).toMatchObject({
      outcome: 'verified',
      targetId: member.id,
    });
    expect(await check({ birthDate: '1958-04-02' })).toEqual({ outcome: 'invalid' });
    // A pickup booking's people step does not take a renewal target.
    expect(await check({ password: member.password }, 'pickup')).toEqual({ outcome: 'invalid' });
    // Nor a renewal target already renewed.
    await closeRenewalTarget(
      db(),
      clerk(),
      { municipalityCode: CITY, id: member.id },
      { state: 'renewed' },
    );
    expect(await check({ password: member.password })).toEqual({ outcome: 'cannot_book' });
  });

  it('shares the sign-in throttle: five wrong tries lock the reservation ID', async () => {
    const member = await renewalWithForm();
    let last;
    for (let i = 0; i < 5; i++)
      last = await verifyHouseholdMember(db(), {
        municipalityCode: CITY,
        reservationId: member.reservationId,
        birthDate: '1900-01-01',
        ip: freshIp(),
        subject: 'renewal',
      });
    expect(last).toMatchObject({ outcome: 'locked' });
  });

  it('is booked with the signed-in person, recorded with how they were verified', async () => {
    const self = await renewalWithForm();
    const member = await renewalWithForm('1962-02-02');
    const { slotId } = await freshSlot();
    const booked = await book(db(), clerk(), {
      municipalityCode: CITY,
      kind: 'cert_renewal',
      slotId,
      members: [
        { targetId: self.id, verifiedBy: 'session' },
        { targetId: member.id, verifiedBy: 'birth_date' },
      ],
      email: 'household@example.jp',
      locale: 'ja',
      idempotencyKey: randomUUID(),
      via: 'letter',
    });
    expect(booked).toMatchObject({ outcome: 'booked', replayed: false });
    expect(await slotPlaces(db(), CITY, slotId)).toEqual({ capacity: 5, taken: 2 });
    expect(await hasActiveBooking(db(), CITY, member.id, 'cert_renewal')).toBe(true);
    const rows = await db()
      .selectFrom('bookingRenewalMember')
      .select(['renewalTargetId', 'verifiedBy'])
      .where('bookingId', '=', booked.outcome === 'booked' ? booked.bookingId : '')
      .orderBy('verifiedBy')
      .execute();
    expect(rows).toEqual([
      { renewalTargetId: member.id, verifiedBy: 'birth_date' },
      { renewalTargetId: self.id, verifiedBy: 'session' },
    ]);
  });
});

describe('a clerk’s phone booking of a renewal', () => {
  it('takes renewal reservation IDs, refuses a pickup target’s, and shows on the day list', async () => {
    const first = await renewalWithForm();
    const second = await renewalWithForm();
    const { slotId, startsAt } = await freshSlot();
    const phone = (reservationIds: string[], kind: 'cert_renewal' | 'card_pickup') =>
      bookByPhone(
        db(),
        { municipalityCode: CITY, actor: clerk() },
        {
          kind,
          slotId,
          reservationIds,
          email: null,
          phone: '046-000-0000',
          locale: 'ja',
          needs: [],
          idempotencyKey: randomUUID(),
        },
      );
    // A pickup target's reservation ID is not a renewal's (and the other way round).
    const [pickup] = await insertTargets(db(), { city: CITY, count: 1, state: 'letter_printed' });
    const [letter] = await credentialsForLetters(db(), secrets, clerk(), CITY, [pickup!]);
    expect(await phone([letter!.reservationId], 'cert_renewal')).toEqual({
      outcome: 'unknown_reservation_id',
      reservationIds: [letter!.reservationId],
    });
    expect(await phone([first.reservationId], 'card_pickup')).toMatchObject({
      outcome: 'unknown_reservation_id',
    });
    const booked = await phone([first.reservationId, second.reservationId], 'cert_renewal');
    expect(booked).toMatchObject({ outcome: 'booked' });
    const bookingId = booked.outcome === 'booked' ? booked.bookingId : '';

    const day = await dayView(db(), CITY, facilityId, tokyoDate(startsAt));
    const shown = day.find((s) => s.id === slotId)!.bookings;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ id: bookingId, kind: 'cert_renewal', places: 2 });
    expect(shown[0]!.members.map((m) => m.targetId).sort()).toEqual([first.id, second.id].sort());
    const detail = await bookingDetail(db(), CITY, bookingId);
    expect(detail?.members.map((m) => m.reservationId).sort()).toEqual(
      [first.reservationId, second.reservationId].sort(),
    );
  });
});
