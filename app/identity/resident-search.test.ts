import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { searchResidents, upsertResidents } from './residents.server.ts';
import { foldNameVariants, NAME_VARIANTS } from './name-variants.ts';

const database = useTestDatabase();
let counter = 0;

async function resident(name: string) {
  const registerCode = String(20_000_000_000 + ++counter * 7919);
  await upsertResidents(database.connection.db, [
    {
      registerCode,
      name,
      nameKana: 'テスト　タロウ',
      nameLatin: null,
      birthDate: '1970-01-01',
      sex: 'male',
      address: '東京都千代田区',
      municipalityCode: '131016',
      municipalityName: '千代田区',
      cardManufactureNumber: null,
    },
  ]);
  return registerCode;
}

const found = async (text: string) =>
  (await searchResidents(database.connection.db, { text }, 500)).map((r) => r.name);

describe('staff search by name across 異体字 (variant kanji)', () => {
  it('finds a name registered with a variant by the form residents type, and the reverse', async () => {
    await resident('山﨑　花子');
    await resident('山崎　一郎');
    await resident('髙橋　𠮷男');
    await resident('渡邉　齋');
    expect(await found('山崎')).toEqual(expect.arrayContaining(['山﨑　花子', '山崎　一郎']));
    expect(await found('山﨑')).toEqual(expect.arrayContaining(['山﨑　花子', '山崎　一郎']));
    // Names are shown exactly as registered.
    expect(await found('高橋吉男')).toContain('髙橋　𠮷男');
    expect(await found('渡辺 斎')).toContain('渡邉　齋');
    expect(await found('渡邊')).toContain('渡邉　齋');
  });

  it('folds every variant in the table, in the database as in the query', async () => {
    for (const [variant, standard] of NAME_VARIANTS) {
      const n = counter;
      const name = `変${variant}体${n}`;
      await resident(name);
      expect(await found(`変${standard}体${n}`), `${variant} → ${standard}`).toContain(name);
      expect(foldNameVariants(name)).toBe(`変${standard}体${n}`);
    }
    const stored = await database.connection.db
      .selectFrom('resident')
      .select(['name', 'nameSearch'])
      .where('name', 'like', '変%')
      .execute();
    for (const row of stored) expect(row.nameSearch).toBe(foldNameVariants(row.name));
  });

  it('does not fold a name into a different one', async () => {
    await resident('高田　実');
    expect(await found('髙橋')).not.toContain('高田　実');
  });
});
