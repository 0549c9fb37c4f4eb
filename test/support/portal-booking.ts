/**
 * Booking from the portal in tests (decision 0055): a portal resident whose card matches a
 * pickup target, and what the tests read back (their to-dos of the pickup kind, sessions).
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { upsertResidents } from '../../app/identity/residents.server.ts';
import { ensureResidentAccount } from '../../app/identity/identity.service.server.ts';
import { createSession, SESSION_COOKIE } from '../../app/identity/session.server.ts';
import { registerCodeCheckDigit } from '../../app/targets/register-code.ts';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** A card manufacture number as residents' records write it (and unique to the test). */
export const cardNumber = () => `MN${digits(14)}`;

/** Gives a target this card manufacture number (a CS list would carry it). */
export async function setTargetCard(db: Db, city: string, targetId: string, card: string) {
  await db
    .updateTable('pickupTarget')
    .set({ manufactureNo: card })
    .where('municipalityCode', '=', city)
    .where('id', '=', targetId)
    .execute();
}

/** A portal resident of `city` with this card and date of birth; their id. */
export async function portalResident(
  db: Db,
  city: string,
  card: string | null,
  birthDate = '1980-12-03',
): Promise<string> {
  const registerCode = digits(11);
  await upsertResidents(db, [
    {
      registerCode,
      name: `髙﨑　試験${digits(3)}`,
      nameKana: 'タカサキ　シケン',
      nameLatin: null,
      birthDate,
      sex: 'female',
      address: '神奈川県三浦市城山町1番1号',
      municipalityCode: city,
      municipalityName: '三浦市',
      cardManufactureNumber: card,
    },
  ]);
  const row = await db
    .selectFrom('resident')
    .select('id')
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A portal session cookie for a resident (as a passkey sign-in makes one). */
export async function residentCookie(db: Db, residentId: string): Promise<string> {
  const account = await ensureResidentAccount(db, residentId);
  const session = await createSession(db, {
    accountId: account.id,
    kind: 'resident',
    ip: null,
    userAgent: null,
  });
  return `${SESSION_COOKIE}=${session.token}`;
}

/** A resident's to-dos of a kind, oldest first. */
export function todosOfKind(db: Db, residentId: string, kind: string) {
  return db
    .selectFrom('todo')
    .select(['id', 'status', 'titleJa', 'titleEn', 'actionUrl'])
    .where('residentId', '=', residentId)
    .where('kind', '=', kind)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** The booking sessions opened for a target, with how they were opened. */
export function bookingSessionsOf(db: Db, city: string, targetId: string) {
  return db
    .selectFrom('bookingSession')
    .select(['id', 'via', 'endedAt'])
    .where('municipalityCode', '=', city)
    .where('targetId', '=', targetId)
    .execute();
}

/** Records (or clears) a resident's card manufacture number, as the register would. */
export async function setResidentCard(db: Db, residentId: string, card: string | null) {
  await db
    .updateTable('resident')
    .set({ cardManufactureNumber: card })
    .where('id', '=', residentId)
    .execute();
}

/** How the target's bookings were made ('letter', 'portal', 'staff'), oldest first. */
export async function bookedViaOf(db: Db, targetId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('bookingMember as m')
    .innerJoin('booking as b', (join) =>
      join.onRef('b.municipalityCode', '=', 'm.municipalityCode').onRef('b.id', '=', 'm.bookingId'),
    )
    .select('b.bookedVia')
    .where('m.targetId', '=', targetId)
    .orderBy('b.createdAt')
    .execute();
  return rows.map((r) => r.bookedVia);
}

/** A resident-register code with its check digit (without vitest, for end-to-end tests). */
export function validRegisterCodeOf(): string {
  const body = digits(10);
  return `${body}${registerCodeCheckDigit(body)}`;
}
