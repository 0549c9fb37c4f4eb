import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { verifySecret } from '../identity/crypto.server.ts';
import { newReservationId, readReservationId } from './reservation-id.ts';
import { credentialsForLetters, reissueCredentials } from './target-credentials.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();
const CITY = '142107';
const clerk = {
  actorType: 'staff' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: '192.0.2.30',
};
let targetIds: string[] = [];

beforeAll(async () => {
  const rows = await db()
    .insertInto('pickupTarget')
    .values(
      ['C1', 'C2', 'C3'].map((applicationId) => ({
        municipalityCode: CITY,
        applicationId,
        manufactureNo: `MN-${applicationId}`,
        name: '三浦 太郎',
        birthDate: '1970-01-01',
        sex: 'male' as const,
        address: '三浦市',
      })),
    )
    .returning('id')
    .execute();
  targetIds = rows.map((r) => r.id).sort();
});

const passwordHashOf = (id: string) =>
  db()
    .selectFrom('pickupTarget')
    .select('passwordHash')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
    .then((r) => r.passwordHash!);

describe('reservation IDs', () => {
  it('carry a check digit that catches every single wrong digit', () => {
    for (let n = 0; n < 200; n++) {
      const id = newReservationId();
      expect(readReservationId(id)).toBe(id);
      expect(readReservationId(`${id.slice(0, 3)}-${id.slice(3, 6)} ${id.slice(6)}`)).toBe(id);
      for (let i = 0; i < 10; i++)
        for (const d of '0123456789')
          if (d !== id[i])
            expect(readReservationId(id.slice(0, i) + d + id.slice(i + 1))).toBeNull();
    }
    expect(readReservationId('１２３')).toBeNull();
  });
});

describe('credentials for letters', () => {
  it('are created once: printing again shows the same ID and password', async () => {
    const [first, second] = await Promise.all([
      credentialsForLetters(db(), secrets, clerk, CITY, targetIds.slice(0, 2)),
      credentialsForLetters(db(), secrets, clerk, CITY, targetIds.slice(0, 2)),
    ]);
    expect(second).toEqual(first);
    const all = await credentialsForLetters(db(), secrets, clerk, CITY, targetIds);
    expect(all.slice(0, 2)).toEqual(first);
    expect(new Set(all.map((c) => c.reservationId)).size).toBe(3);
    for (const c of all) {
      expect(readReservationId(c.reservationId)).toBe(c.reservationId);
      expect(c.password).toMatch(/^[0-9A-Z]{8}$/);
      expect(await verifySecret(c.password, await passwordHashOf(c.targetId))).toBe(true);
    }
    const audit = await db()
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'targets.credentials')
      .where('ip', '=', clerk.ip)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.details)).toEqual([
      { targets: 2, created: 2 },
      { targets: 2, created: 0 },
      { targets: 3, created: 1 },
    ]);
  });

  it('a reissue gives a new password and version; the old password stops working', async () => {
    const [before] = await credentialsForLetters(db(), secrets, clerk, CITY, [targetIds[2]!]);
    const reissued = await reissueCredentials(db(), secrets, clerk, CITY, targetIds[2]!);
    expect(reissued).toMatchObject({ reservationId: before!.reservationId, version: 1 });
    expect(reissued!.password).not.toBe(before!.password);
    const hash = await passwordHashOf(targetIds[2]!);
    expect(await verifySecret(before!.password, hash)).toBe(false);
    expect(await verifySecret(reissued!.password, hash)).toBe(true);
    const [after] = await credentialsForLetters(db(), secrets, clerk, CITY, [targetIds[2]!]);
    expect(after).toEqual(reissued);
  });

  it('the database refuses an ID without its password', async () => {
    await expect(
      sql`update pickup_target set reservation_id = '1234567897', password_hash = null
          where id = ${targetIds[0]}`.execute(db()),
    ).rejects.toThrow(/pickup_target_credentials_check/);
  });
});
