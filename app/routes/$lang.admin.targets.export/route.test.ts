import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  auditEntries,
  inCity,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { confirmTargetImport } from '../../targets/target-import.service.server.ts';
import { loader as pageLoader } from './route.tsx';
import { loader as csvLoader } from '../$lang.admin.targets.export[.]csv.ts';
import { stageTargetFile } from '../../../test/support/target-import.ts';
import { DEFAULT_CITY } from '../../../test/support/targets.ts';

/**
 * The export page and its CSV, called directly with a real database: who may use them, what
 * the page says about the choices, and what the download sends.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = DEFAULT_CITY;
const OTHER = '990501';
let exporter: { accountId: string; cookie: string };
let importId = '';
let theirImport = '';

beforeAll(async () => {
  exporter = await staffWithSession(db(), ['targets:export', 'targets:import']);
  const actor = {
    actorType: 'staff' as const,
    actorId: exporter.accountId,
    onBehalfOfResidentId: null,
    ip: null,
  };
  const bytes = new TextEncoder().encode(
    '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所\r\n' +
      'P0001,MN-P0001,𠮷田 一,,1970-01-01,男,,三浦市\r\n' +
      'P0002,MN-P0002,髙橋 二,,1971-02-02,女,,三浦市\r\n',
  );
  const staged = await stageTargetFile(database.connection, actor, {
    municipalityCode: CITY,
    fileName: 'list.csv',
    bytes,
  });
  if (staged.outcome !== 'staged') throw new Error('not staged');
  importId = staged.importId;
  await confirmTargetImport(db(), actor, { municipalityCode: CITY, importId });
  const theirs = await stageTargetFile(database.connection, actor, {
    municipalityCode: OTHER,
    fileName: 'other-city.csv',
    bytes: new TextEncoder().encode(
      '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所\r\n' +
        'X0001,MN-X0001,他市 一,,1970-01-01,男,,横須賀市\r\n',
    ),
  });
  if (theirs.outcome !== 'staged') throw new Error('not staged');
  theirImport = theirs.importId;
  await confirmTargetImport(db(), actor, { municipalityCode: OTHER, importId: theirImport });
});

const page = (path: string, cookie = exporter.cookie) =>
  settle(() =>
    pageLoader(loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie })),
  ) as Promise<unknown>;
const csv = (path: string, cookie = exporter.cookie, lang = 'ja') =>
  settle(() =>
    csvLoader(loaderArgs(routeContext(db()), { path, params: { lang }, cookie })),
  ) as Promise<Response>;

type PageData = {
  data: { errors: Record<string, string>; result: unknown };
  init?: { status?: number };
};

const exports = async () =>
  (await auditEntries(db(), { action: 'targets.export', targetId: CITY })).map(
    ({ actorId, details }) => ({ actorId, details }),
  );

describe('the target export page and CSV', () => {
  it('answer 403 to staff without targets:export, the CSV with a page in words', async () => {
    const other = await staffWithSession(db(), ['targets:import', 'targets:manage']);
    const refused = (await page('/ja/admin/targets/export', other.cookie)) as Response;
    expect(refused.status).toBe(403);
    const download = await csv('/en/admin/targets/export.csv', other.cookie, 'en');
    expect(download.status).toBe(403);
    expect(download.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await download.text()).toContain('<html lang="en"');
    expect(await exports()).toEqual([]);
  });

  it('counts what a choice exports, and says CP932 cannot hold 𠮷 in so many rows', async () => {
    const utf8 = (await page(`/ja/admin/targets/export?encoding=utf-8`)) as PageData;
    expect(utf8.data.result).toEqual({
      rows: 2,
      encoding: 'utf-8',
      unmappable: null,
      href: `/ja/admin/targets/export.csv?encoding=utf-8`,
    });
    const cp932 = (await page(
      `/ja/admin/targets/export?importId=${importId}&encoding=cp932`,
    )) as PageData;
    expect(cp932.data.result).toMatchObject({
      rows: 2,
      unmappable: { rows: 1, characters: ['𠮷'] },
    });
    const wrong = (await page(
      '/ja/admin/targets/export?city=999999&state=lost&encoding=ebcdic',
    )) as PageData;
    expect(wrong.init?.status).toBe(400);
    // The city of an old address is ignored: only the wrong choices are named.
    expect(wrong.data.errors).toEqual({
      state: 'errors.choose',
      encoding: 'errors.choose',
    });
  });

  it('sends the CSV with its Tokyo-dated name, records it once, and refuses CP932 back to the page', async () => {
    const response = await csv(`/ja/admin/targets/export.csv?state=imported`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="targets-${CITY}-\\d{8}\\.csv"$`),
    );
    const text = new TextDecoder().decode(await response.arrayBuffer());
    expect(
      text
        .split('\r\n')
        .slice(1, 3)
        .map((l) => l.split(',')[2]),
    ).toEqual(['𠮷田 一', '髙橋 二']);
    expect(await exports()).toEqual([
      {
        actorId: exporter.accountId,
        details: { state: 'imported', importId: null, encoding: 'utf-8', rows: 2 },
      },
    ]);

    const refused = await csv(`/ja/admin/targets/export.csv?encoding=cp932`);
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toBe(`/ja/admin/targets/export?encoding=cp932`);
    expect(await exports()).toHaveLength(1);
  });

  it("never reach another city's targets: its import is not found, its rows never listed", async () => {
    const status = async (answer: Promise<unknown>) => {
      const settled = await answer;
      return settled instanceof Response ? settled.status : (settled as PageData).init?.status;
    };
    expect({
      page: await status(page(`/ja/admin/targets/export?importId=${theirImport}&encoding=utf-8`)),
      csv: await status(csv(`/ja/admin/targets/export.csv?importId=${theirImport}`)),
      cp932: await status(
        csv(`/ja/admin/targets/export.csv?importId=${theirImport}&encoding=cp932`),
      ),
    }).toEqual({ page: 404, csv: 404, cp932: 404 });

    // The page offers the clerk's city's imports only, and an old address's city is ignored.
    const blank = (await page('/ja/admin/targets/export')) as {
      data: { options: { imports: { id: string }[] } };
    };
    expect(blank.data.options.imports.map((i) => i.id)).toEqual([importId]);
    const old = (await page(`/ja/admin/targets/export?city=${OTHER}&encoding=utf-8`)) as PageData;
    expect(old.data.result).toMatchObject({
      rows: 2,
      href: '/ja/admin/targets/export.csv?encoding=utf-8',
    });
    const download = await csv(`/ja/admin/targets/export.csv?city=${OTHER}`);
    expect(download.headers.get('content-disposition')).toContain(`targets-${CITY}-`);
    const text = new TextDecoder().decode(await download.arrayBuffer());
    expect(text).toContain('髙橋 二');
    expect(text).not.toContain('他市');

    // The other city's own Madoguchi exports it (what this one must never show).
    const theirs = (await settle(() =>
      csvLoader(
        loaderArgs(inCity(routeContext(db()), OTHER), {
          path: '/ja/admin/targets/export.csv',
          params: { lang: 'ja' },
          cookie: exporter.cookie,
        }),
      ),
    )) as Response;
    expect(new TextDecoder().decode(await theirs.arrayBuffer())).toContain('他市 一');
  });
});
