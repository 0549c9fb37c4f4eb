import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import {
  auditDetailsBy,
  giveCredentials,
  importTargets,
  kanaTag,
} from '../../../test/support/targets.ts';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
let clerk: Awaited<ReturnType<typeof staffWithSession>>;
let tag = '';
let kana = kanaTag();
let reservationId = '';

beforeAll(async () => {
  clerk = await staffWithSession(db(), ['targets:lookup']);
  const importer = await staffWithSession(db(), ['targets:manage']);
  tag = String(Date.now()).slice(-6);
  kana = kanaTag();
  const [one] = await importTargets(database.connection, importer.accountId, [
    {
      name: `𠮷田　学${tag}`,
      nameKana: `ヨシダ　マナブ${kana.katakana}`,
      birthDate: 'S50.5.5',
      address: '三浦市南下浦町1-2',
    },
    {
      name: `佐藤　一${tag}`,
      nameKana: `サトウ　ハジメ${kana.katakana}`,
      birthDate: 'S50.5.5',
      address: '三浦市南下浦町3-4',
    },
    {
      name: `佐藤　一${tag}`,
      nameKana: `サトウ　ハジメ${kana.katakana}`,
      birthDate: 'S50.5.5',
      address: '三浦市南下浦町5-6',
    },
  ]);
  reservationId = await giveCredentials(
    db(),
    routeContext(db()).secrets,
    importer.accountId,
    one!.id,
  );
});

const ask = (form: Record<string, string>, cookie = clerk.cookie) =>
  settle(() =>
    action(
      actionArgs(routeContext(db()), {
        path: '/ja/admin/targets/lookup',
        params: { lang: 'ja' },
        cookie,
        form,
      }),
    ),
  );

const lookupsBy = (accountId: string) => auditDetailsBy(db(), 'targets.lookup', accountId);

describe('the phone lookup page', () => {
  it('refuses staff without targets:lookup on the page and the action (403)', async () => {
    const other = await staffWithSession(db(), ['targets:manage']);
    const page = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), {
          path: '/ja/admin/targets/lookup',
          params: { lang: 'ja' },
          cookie: other.cookie,
        }),
      ),
    );
    expect(page instanceof Response && page.status).toBe(403);
    const answer = await ask(
      { name: `吉田　学${tag}`, birthDate: 'S50.5.5', address: '南下浦町1-2' },
      other.cookie,
    );
    expect(answer instanceof Response && answer.status).toBe(403);
    expect(await lookupsBy(other.accountId)).toEqual([]);
  });

  it('answers one match with its reservation ID, several or none without any, and records each', async () => {
    expect(
      await ask({ name: `吉田　学${tag}`, birthDate: '昭和50年5月5日', address: '南下浦町1-2' }),
    ).toMatchObject({ answer: { kind: 'found', reservationId, state: 'imported' } });
    expect(
      await ask({
        name: `さとう　はじめ${kana.hiragana}`,
        birthDate: '1975-05-05',
        address: '南下浦町',
      }),
    ).toMatchObject({ answer: { kind: 'several' } });
    expect(
      await ask({
        name: `さとう　はじめ${kana.hiragana}`,
        birthDate: '1975-05-06',
        address: '南下浦町',
      }),
    ).toMatchObject({ answer: { kind: 'none' } });
    expect(await lookupsBy(clerk.accountId)).toEqual([
      { details: { found: 1 } },
      { details: { found: 2 } },
      { details: { found: 0 } },
    ]);
  });

  it('needs all three: a missing field is a localized field error and nothing is looked up', async () => {
    const before = (await lookupsBy(clerk.accountId)).length;
    expect(await ask({ name: `吉田`, birthDate: 'S50.2.30', address: '' })).toMatchObject({
      init: { status: 400 },
      data: {
        answer: null,
        result: {
          error: { birthDate: ['lookup.errors.birthDate'], address: ['lookup.errors.address'] },
        },
      },
    });
    expect(await lookupsBy(clerk.accountId)).toHaveLength(before);
  });
});
