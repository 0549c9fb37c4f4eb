import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { useTestDatabase } from '../../test/database.ts';
import { upsertResidents } from '../identity/residents.server.ts';
import {
  importInsuranceCsv,
  listQualifications,
  residentIdForRegisterCode,
} from './insurance.service.server.ts';

const database = useTestDatabase();
const HEADER = '住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合';
const csv = (...rows: string[]) => new TextEncoder().encode([HEADER, ...rows].join('\r\n'));

async function resident() {
  const registerCode = Array.from({ length: 11 }, () => randomInt(10)).join('');
  await upsertResidents(database.connection.db, [
    {
      registerCode,
      name: '德永　次郎',
      nameKana: 'トクナガ　ジロウ',
      nameLatin: null,
      birthDate: '1960-02-29',
      sex: 'male',
      address: '神奈川県三浦市',
      municipalityCode: '142107',
      municipalityName: '三浦市',
      cardManufactureNumber: null,
    },
  ]);
  const { id } = await database.connection.db
    .selectFrom('resident')
    .select('id')
    .where('registerCode', '=', registerCode)
    .executeTakeFirstOrThrow();
  return { id, registerCode };
}

const stored = (residentId: string) =>
  database.connection.db
    .selectFrom('insuranceQualification')
    .selectAll()
    .where('residentId', '=', residentId)
    .execute();

describe('insurance import', () => {
  it('imports nothing when any row is bad, and says which line', async () => {
    const db = database.connection.db;
    const a = await resident();
    const unknown = '99999999999';
    const result = await importInsuranceCsv(
      db,
      csv(
        `${a.registerCode},01140017,全国健康保険協会,1,2,,2024-04-01,,3割`,
        `${unknown},01140017,全国健康保険協会,1,3,,2024-04-01,,3割`,
      ),
    );
    expect(result).toEqual({
      ok: false,
      encoding: 'utf-8',
      errors: [{ line: 3, problem: 'unknownResident', value: unknown }],
    });
    expect(await stored(a.id)).toEqual([]);

    const badFormat = await importInsuranceCsv(
      db,
      csv(
        `${a.registerCode},01140017,全国健康保険協会,1,2,,2024-04-01,,3割`,
        `${a.registerCode},01140017,全国健康保険協会,1,2,,2025-04-01,,5割`,
      ),
    );
    expect(badFormat.ok).toBe(false);
    expect(await stored(a.id)).toEqual([]);
  });

  it('adds, updates and leaves unchanged rows by resident, insurer and start date', async () => {
    const db = database.connection.db;
    const a = await resident();
    const b = await resident();
    const first = csv(
      `${a.registerCode},01140017,全国健康保険協会,12,345,01,2020-04-01,2024-04-01,3割`,
      `${a.registerCode},142109,三浦市国民健康保険,三浦,678,,2024-04-01,,30`,
      `${b.registerCode},39142107,神奈川県後期高齢者医療広域連合,,0001,,2025-01-01,,1割`,
    );
    expect(await importInsuranceCsv(db, first)).toEqual({
      ok: true,
      encoding: 'utf-8',
      rows: 3,
      added: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await importInsuranceCsv(db, first)).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 3,
    });
    const second = csv(
      `${a.registerCode},142109,三浦市国民健康保険,三浦,678,,2024-04-01,,2割`,
      `${b.registerCode},39142107,神奈川県後期高齢者医療広域連合,,0001,,2025-01-01,,1割`,
    );
    expect(await importInsuranceCsv(db, second)).toMatchObject({
      added: 0,
      updated: 1,
      unchanged: 1,
    });
    expect(await stored(a.id)).toHaveLength(2);

    // The resident sees the current qualification first, the history after.
    const records = await listQualifications(db, a.id, new Date('2026-03-31T23:30:00Z'));
    expect(records.map((r) => [r.insurerNumber, r.state, r.copaymentPercent])).toEqual([
      ['142109', 'current', 20],
      ['01140017', 'ended', 30],
    ]);
    // The day the qualification was lost is no longer covered.
    const onLossDay = await listQualifications(db, a.id, '2024-04-01');
    expect(onLossDay.map((r) => [r.insurerNumber, r.state])).toEqual([
      ['142109', 'current'],
      ['01140017', 'ended'],
    ]);
    expect((await listQualifications(db, a.id, '2024-03-31'))[0]).toMatchObject({
      insurerNumber: '01140017',
      state: 'current',
    });
  });

  it('finds a resident by register code as staff type it', async () => {
    const db = database.connection.db;
    const a = await resident();
    const fullWidth = a.registerCode.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(await residentIdForRegisterCode(db, fullWidth)).toEqual({ ok: true, residentId: a.id });
    expect(await residentIdForRegisterCode(db, '123')).toEqual({ ok: false });
    expect(await residentIdForRegisterCode(db, '00000000000')).toEqual({
      ok: true,
      residentId: undefined,
    });
  });
});
