import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import {
  lookUpTargetByPhone,
  searchTargets,
  TARGET_SEARCH_LIMIT,
} from './target.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const CITY = '142105';
const OTHER_CITY = '142106';
const clerk = {
  actorType: 'staff' as const,
  actorId: null,
  onBehalfOfResidentId: null,
  ip: '192.0.2.20',
};

beforeAll(async () => {
  const base = { birthDate: '1990-01-01', sex: 'male' as const, postalCode: null };
  await db()
    .insertInto('pickupTarget')
    .values([
      {
        ...base,
        municipalityCode: CITY,
        applicationId: 'S1',
        manufactureNo: 'MN-S1',
        name: '髙橋　太郎',
        nameKana: 'タカハシ　タロウ',
        birthDate: '1980-12-03',
        address: '三浦市城山町１－１',
      },
      {
        ...base,
        municipalityCode: CITY,
        applicationId: 'S2',
        manufactureNo: 'MN-S2',
        name: '高橋 花子',
        nameKana: 'タカハシ ハナコ',
        address: '三浦市初声町',
      },
      {
        ...base,
        municipalityCode: CITY,
        applicationId: 'S3',
        manufactureNo: 'MN-S3',
        name: '山﨑 一',
        nameKana: 'ヤマサキ ハジメ',
        address: '三浦市三崎',
      },
      {
        ...base,
        municipalityCode: OTHER_CITY,
        applicationId: 'S1',
        manufactureNo: 'MN-O1',
        name: '高橋 別人',
        nameKana: 'タカハシ ベツジン',
        address: '横須賀市',
      },
      ...Array.from({ length: TARGET_SEARCH_LIMIT + 1 }, (_, i) => ({
        ...base,
        municipalityCode: CITY,
        applicationId: `MANY${i}`,
        manufactureNo: `MN-M${i}`,
        name: `佐藤 ${i}`,
        nameKana: `サトウ ${i}`,
        address: '三浦市南下浦町',
      })),
    ])
    .execute();
});

const ids = async (search: Parameters<typeof searchTargets>[3]) => {
  const result = await searchTargets(db(), clerk, CITY, search);
  if (result.outcome !== 'found') throw new Error(result.outcome);
  return result.targets.map((t) => t.applicationId);
};

describe('finding card-pickup targets', () => {
  it('by name however its 異体字 are written, and by kana in either script with or without spaces', async () => {
    expect(await ids({ name: '高橋' })).toEqual(['S1', 'S2']);
    expect(await ids({ name: '髙橋 太' })).toEqual(['S1']);
    expect(await ids({ name: '山崎' })).toEqual(['S3']);
    expect(await ids({ name: 'たかはし　たろう' })).toEqual(['S1']);
    expect(await ids({ name: 'ﾀｶﾊｼﾀﾛｳ' })).toEqual(['S1']);
  });

  it('by date of birth in either calendar, by application ID, manufacture number or address', async () => {
    expect(await ids({ birthDate: 'S55.12.3' })).toEqual(['S1']);
    expect(await ids({ birthDate: '1980/12/3', name: 'たかはし' })).toEqual(['S1']);
    expect(await ids({ applicationId: 'Ｓ２' })).toEqual(['S2']);
    expect(await ids({ manufactureNo: 'MN-S3' })).toEqual(['S3']);
    expect(await ids({ address: '城山町1-1' })).toEqual(['S1']);
  });

  it('stays within the city, stops at the limit, and refuses what it cannot read', async () => {
    expect(await ids({ applicationId: 'S1' })).toEqual(['S1']);
    const many = await searchTargets(db(), clerk, CITY, { name: 'さとう' });
    expect(many).toMatchObject({ outcome: 'found', more: true });
    if (many.outcome === 'found') expect(many.targets).toHaveLength(TARGET_SEARCH_LIMIT);
    expect(await searchTargets(db(), clerk, CITY, { birthDate: '令和0年1月1日' })).toEqual({
      outcome: 'bad_date',
    });
    expect(await searchTargets(db(), clerk, CITY, { name: '  ' })).toEqual({ outcome: 'empty' });
  });

  it('records every search with the fields used and the count, never the values', async () => {
    await searchTargets(db(), { ...clerk, ip: '192.0.2.21' }, CITY, {
      name: '高橋',
      birthDate: '1980-12-03',
    });
    const rows = await db()
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('ip', '=', '192.0.2.21')
      .execute();
    expect(rows).toEqual([
      { action: 'targets.search', details: { fields: ['namePrefix', 'birthDate'], found: 1 } },
    ]);
  });
});

describe('the phone lookup', () => {
  it('needs name, date of birth and address together, and is recorded whatever it finds', async () => {
    const actor = { ...clerk, ip: '192.0.2.22' };
    expect(
      await lookUpTargetByPhone(db(), actor, CITY, {
        name: 'たかはし たろう',
        birthDate: '昭和55年12月3日',
        address: '城山町',
      }),
    ).toMatchObject({ outcome: 'found', targets: [{ applicationId: 'S1', state: 'imported' }] });
    expect(
      await lookUpTargetByPhone(db(), actor, CITY, {
        name: '髙橋',
        birthDate: '1980-12-03',
        address: '初声町',
      }),
    ).toEqual({ outcome: 'found', targets: [] });
    expect(
      await lookUpTargetByPhone(db(), actor, CITY, {
        name: '高橋',
        birthDate: '',
        address: '三浦市',
      }),
    ).toEqual({ outcome: 'incomplete' });
    const rows = await db()
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('ip', '=', '192.0.2.22')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { action: 'targets.lookup', details: { found: 1 } },
      { action: 'targets.lookup', details: { found: 0 } },
    ]);
  });
});
