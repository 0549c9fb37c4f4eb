import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { auditDetailsBy, importTargets, kanaTag } from '../../../test/support/targets.ts';
import { loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
let manager: Awaited<ReturnType<typeof staffWithSession>>;
let tag = '';
let kana = kanaTag();

beforeAll(async () => {
  manager = await staffWithSession(db(), ['targets:manage']);
  tag = String(Date.now()).slice(-6);
  kana = kanaTag();
  await importTargets(database.connection, manager.accountId, [
    {
      name: `山﨑　花子${tag}`,
      nameKana: `ヤマサキ　ハナコ${kana.katakana}`,
      birthDate: 'H2.1.15',
      address: '三浦市三崎',
    },
    {
      name: `山崎　一郎${tag}`,
      nameKana: `ヤマサキ　イチロウ${kana.katakana}`,
      birthDate: '1990-01-16',
      address: '三浦市初声町',
    },
  ]);
});

const search = (query: string, cookie = manager.cookie) =>
  settle(() =>
    loader(
      loaderArgs(routeContext(db()), {
        path: `/ja/admin/targets?${query}`,
        params: { lang: 'ja' },
        cookie,
      }),
    ),
  );

const searchesBy = (accountId: string) => auditDetailsBy(db(), 'targets.search', accountId);

describe('the target search page', () => {
  it('refuses staff without targets:manage (403) and records nothing', async () => {
    const other = await staffWithSession(db(), ['targets:lookup']);
    const page = await search('name=やまさき', other.cookie);
    expect(page instanceof Response && page.status).toBe(403);
    expect(await searchesBy(other.accountId)).toEqual([]);
  });

  it('finds by kana typed with full-width spaces and by a 和暦 date, shows both calendars, and records each search', async () => {
    const byKana = await search(`name=${encodeURIComponent(`やまさき　はなこ${kana.hiragana}`)}`);
    expect(byKana).toMatchObject({
      state: 'searched',
      more: false,
      targets: [{ name: `山﨑　花子${tag}`, state: 'imported', reservationId: null }],
    });
    const byDate = await search(
      `name=${encodeURIComponent(`山崎`)}&birthDate=${encodeURIComponent('平成2年1月15日')}`,
    );
    expect(byDate).toMatchObject({
      state: 'searched',
      targets: [{ name: `山﨑　花子${tag}`, birthDate: '平成2年1月15日（1990年1月15日）' }],
    });
    expect(await searchesBy(manager.accountId)).toEqual([
      { details: { fields: ['kanaPrefix'], found: 1 } },
      { details: { fields: ['namePrefix', 'birthDate'], found: 1 } },
    ]);
  });

  it('answers bad input with field errors and no search, and an empty form with a prompt', async () => {
    const before = (await searchesBy(manager.accountId)).length;
    const bad = await search('birthDate=R0.1.1&reservationId=12345');
    expect(bad).toMatchObject({
      state: 'invalid',
      result: {
        error: {
          birthDate: ['search.errors.birthDate'],
          reservationId: ['search.errors.reservationId'],
        },
      },
    });
    expect(await search('name=&state=')).toMatchObject({ state: 'empty' });
    expect(await searchesBy(manager.accountId)).toHaveLength(before);
  });
});
