import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useTestDatabase } from '../../../test/database.ts';
import {
  auditEntries,
  actionArgs,
  auditEntriesAbout,
  inCity,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { validRegisterCode } from '../../../test/support/renewals.ts';
import * as detail from './route.tsx';
import * as search from '../$lang.admin.renewals._index/route.tsx';
import * as add from '../$lang.admin.renewals.new/route.tsx';
import * as upload from '../$lang.admin.renewals.import._index.tsx';
import * as preview from '../$lang.admin.renewals.import.$importId.tsx';
import * as print from '../$lang.admin_.renewals.print.tsx';
import * as csv from '../$lang.admin.renewals[.]csv.ts';

/**
 * Every renewal page's loader and action, called directly with a real database: refused
 * (403) without its permission, and what the allowed calls store and record.
 */
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

const database = useTestDatabase();
const db = () => database.connection.db;
const context = () => routeContext(db());

const person = (code = validRegisterCode(), name = '髙橋 路由') => ({
  residentRegisterCode: code,
  name,
  nameKana: '',
  birthDate: 'S55.12.3',
  address: '三浦市城山町1-1',
  noticeNumber: 'RT-1',
  certificateExpiresOn: '',
});

async function addPerson(cookie: string, ctx = context(), name?: string): Promise<string> {
  const answer = await add.action(
    actionArgs(ctx, {
      path: '/ja/admin/renewals/new',
      params: { lang: 'ja' },
      cookie,
      form: person(undefined, name),
    }),
  );
  if (answer instanceof Response || !('addedId' in answer) || !answer.addedId)
    throw new Error(`not added: ${JSON.stringify(answer)}`);
  return answer.addedId;
}

describe('renewal pages', () => {
  it('refuse every loader and action without the permission (403)', async () => {
    // Holds everything but the permission each page asks for.
    const manager = await staffWithSession(db(), ['renewals:manage']);
    const id = await addPerson(manager.cookie);
    const other = await staffWithSession(db(), ['residents:read', 'targets:manage']);
    const importer = await staffWithSession(db(), ['renewals:manage', 'targets:export']);
    const noExport = await staffWithSession(db(), ['renewals:manage', 'targets:import']);
    const importId = randomUUID();
    const loaders: [Loader, string, Record<string, string>, string][] = [
      [search.loader, '/ja/admin/renewals?name=x', { lang: 'ja' }, other.cookie],
      [add.loader, '/ja/admin/renewals/new', { lang: 'ja' }, other.cookie],
      [detail.loader, `/ja/admin/renewals/${id}`, { lang: 'ja', renewalId: id }, other.cookie],
      [print.loader, `/ja/admin/renewals/print?id=${id}`, { lang: 'ja' }, other.cookie],
      [upload.loader, '/ja/admin/renewals/import', { lang: 'ja' }, importer.cookie],
      [
        preview.loader,
        `/ja/admin/renewals/import/${importId}`,
        { lang: 'ja', importId },
        importer.cookie,
      ],
      [csv.loader, '/ja/admin/renewals.csv', { lang: 'ja' }, noExport.cookie],
    ];
    for (const [loader, path, params, cookie] of loaders) {
      const response = await settle(() => loader(loaderArgs(context(), { path, params, cookie })));
      expect(response instanceof Response && response.status, path).toBe(403);
    }
    const actions: [Action, string, Record<string, string>, string, Record<string, string>][] = [
      [add.action, '/ja/admin/renewals/new', { lang: 'ja' }, other.cookie, person()],
      [
        detail.action,
        `/ja/admin/renewals/${id}`,
        { lang: 'ja', renewalId: id },
        other.cookie,
        { intent: 'renew', confirm: 'on' },
      ],
      [upload.action, '/ja/admin/renewals/import', { lang: 'ja' }, importer.cookie, {}],
      [
        preview.action,
        `/ja/admin/renewals/import/${importId}`,
        { lang: 'ja', importId },
        importer.cookie,
        {},
      ],
    ];
    for (const [action, path, params, cookie, form] of actions) {
      const response = await settle(() =>
        action(actionArgs(context(), { path, params, cookie, form })),
      );
      expect(response instanceof Response && response.status, path).toBe(403);
    }
    // Nothing changed, and only the adding and nothing else is recorded about the person.
    expect((await auditEntriesAbout(db(), id)).map((e) => e.action)).toEqual(['renewals.add']);
  });

  it('add, read, renew, print and export, each recorded', async () => {
    const clerk = await staffWithSession(db(), ['renewals:manage', 'targets:export']);
    const id = await addPerson(clerk.cookie);

    const bad = await add.action(
      actionArgs(context(), {
        path: '/ja/admin/renewals/new',
        params: { lang: 'ja' },
        cookie: clerk.cookie,
        form: { ...person('12345678904'), birthDate: '2月30日' },
      }),
    );
    expect(bad).toMatchObject({
      init: { status: 400 },
      data: {
        result: {
          error: {
            residentRegisterCode: ['add.errors.registerCode'],
            birthDate: ['add.errors.date'],
          },
        },
      },
    });

    const params = { lang: 'ja', renewalId: id };
    const unconfirmed = await detail.action(
      actionArgs(context(), {
        path: `/ja/admin/renewals/${id}`,
        params,
        cookie: clerk.cookie,
        form: { intent: 'clear', reason: 'moved_out' },
      }),
    );
    expect(unconfirmed).toMatchObject({ init: { status: 400 } });
    const renewed = await detail.action(
      actionArgs(context(), {
        path: `/ja/admin/renewals/${id}`,
        params,
        cookie: clerk.cookie,
        form: { intent: 'renew', confirm: 'on' },
      }),
    );
    expect(renewed).toMatchObject({ outcome: 'renewed' });
    const page = await detail.loader(
      loaderArgs(context(), { path: `/ja/admin/renewals/${id}`, params, cookie: clerk.cookie }),
    );
    expect(page.renewal).toMatchObject({
      state: 'renewed',
      birthDate: '昭和55年12月3日（1980年12月3日）',
    });

    const printed = await print.loader(
      loaderArgs(context(), {
        path: `/ja/admin/renewals/print?id=${id}&id=not-a-uuid`,
        params: { lang: 'ja' },
        cookie: clerk.cookie,
      }),
    );
    expect(printed.forms).toHaveLength(1);
    expect(printed.forms[0]!.barcodeSvg).toMatch(/^<svg /);

    const download = await csv.loader(
      loaderArgs(context(), {
        path: '/ja/admin/renewals.csv?state=renewed&encoding=cp932',
        params: { lang: 'ja' },
        cookie: clerk.cookie,
      }),
    );
    expect(download.headers.get('content-type')).toBe('text/csv; charset=shift_jis');
    const text = new TextDecoder('shift_jis').decode(await download.arrayBuffer());
    expect(text.split('\r\n')[0]).toBe(
      '住民票コード,氏名,氏名カナ,生年月日,住所,通知番号,有効期限,状態,消除事由,備考,更新・消除日時',
    );
    expect(text).toContain('髙橋 路由');
    expect(text).toContain('更新済み');

    expect((await auditEntriesAbout(db(), id)).map((e) => e.action).sort()).toEqual(
      ['renewals.add', 'renewals.print', 'renewals.renew', 'renewals.view'].sort(),
    );
    const exports = (
      await auditEntries(db(), { action: 'renewals.export', actorId: clerk.accountId })
    ).map(({ details }) => ({ details }));
    expect(exports).toEqual([{ details: { state: 'renewed', encoding: 'cp932' } }]);
  });

  it('import: upload → preview → confirm, through the pages', async () => {
    const clerk = await staffWithSession(db(), ['renewals:manage', 'targets:import']);
    const code = validRegisterCode();
    const form = new FormData();
    const csvText = `住民票コード,氏名,生年月日,住所,通知番号\r\n${code},𠮷田 取込,H1.1.8,三浦市,IM-1\r\n${code},重複,H1.1.8,三浦市,IM-1\r\n`;
    form.set('file', new File([csvText], 'list.csv', { type: 'text/csv' }));
    const uploaded = await settle(() =>
      upload.action(
        actionArgs(context(), {
          path: '/ja/admin/renewals/import',
          params: { lang: 'ja' },
          cookie: clerk.cookie,
          form,
        }),
      ),
    );
    expect(uploaded instanceof Response && uploaded.status).toBe(302);
    const location = (uploaded as Response).headers.get('location') ?? '';
    const importId = location.split('/').at(-1) ?? '';
    expect(location).toBe(`/ja/admin/renewals/import/${importId}`);
    const call = { path: location, params: { lang: 'ja', importId }, cookie: clerk.cookie };
    expect(await preview.loader(loaderArgs(context(), call))).toMatchObject({
      state: 'staged',
      counts: { new: 1, rejected: 1 },
      problems: [{ line: 3, reason: 'duplicate', firstLine: 2 }],
    });
    expect(await preview.action(actionArgs(context(), { ...call, form: {} }))).toMatchObject({
      outcome: 'confirmed',
      counts: { new: 1, updated: 0, unchanged: 0 },
    });
    expect((await auditEntriesAbout(db(), importId)).map((e) => e.action).sort()).toEqual([
      'renewals.import',
      'renewals.import_stage',
      'renewals.import_view',
    ]);
  });

  it("answer 404 for another city's renewal target and import, and never list, print or export it", async () => {
    const clerk = await staffWithSession(db(), [
      'renewals:manage',
      'targets:import',
      'targets:export',
    ]);
    // The same staff member in a Madoguchi of another city adds a person and uploads a list.
    const elsewhere = inCity(context(), '990301');
    const theirs = await addPerson(clerk.cookie, elsewhere, '他市 太郎');
    const ours = await addPerson(clerk.cookie, context(), '本市 花子');
    const form = new FormData();
    const csvText = `住民票コード,氏名,生年月日,住所,通知番号\r\n${validRegisterCode()},他市 取込,H1.1.8,横須賀市,IM-9\r\n`;
    form.set('file', new File([csvText], 'theirs.csv', { type: 'text/csv' }));
    const uploaded = (await settle(() =>
      upload.action(
        actionArgs(elsewhere, {
          path: '/ja/admin/renewals/import',
          params: { lang: 'ja' },
          cookie: clerk.cookie,
          form,
        }),
      ),
    )) as Response;
    const theirImport = (uploaded.headers.get('location') ?? '').split('/').at(-1) ?? '';

    const status = async (run: () => Promise<unknown>) => {
      const answer = await settle(run);
      return answer instanceof Response ? answer.status : 200;
    };
    const at = (path: string, params: Record<string, string>) => ({
      path,
      params: { lang: 'ja', ...params },
      cookie: clerk.cookie,
    });
    const detailCall = at(`/ja/admin/renewals/${theirs}`, { renewalId: theirs });
    const importCall = at(`/ja/admin/renewals/import/${theirImport}`, { importId: theirImport });
    expect({
      detail: await status(() => detail.loader(loaderArgs(context(), detailCall))),
      renew: await status(() =>
        detail.action(
          actionArgs(context(), { ...detailCall, form: { intent: 'renew', confirm: 'on' } }),
        ),
      ),
      print: await status(() =>
        print.loader(loaderArgs(context(), at(`/ja/admin/renewals/print?id=${theirs}`, {}))),
      ),
      printWithOurs: await status(() =>
        print.loader(
          loaderArgs(context(), at(`/ja/admin/renewals/print?id=${ours}&id=${theirs}`, {})),
        ),
      ),
      preview: await status(() => preview.loader(loaderArgs(context(), importCall))),
      confirm: await status(() =>
        preview.action(actionArgs(context(), { ...importCall, form: {} })),
      ),
    }).toEqual({
      detail: 404,
      renew: 404,
      print: 404,
      printWithOurs: 404,
      preview: 404,
      confirm: 404,
    });

    const listed = await search.loader(
      loaderArgs(context(), at('/ja/admin/renewals?birthDate=1980-12-03', {})),
    );
    expect(JSON.stringify(listed)).toContain('本市 花子');
    expect(JSON.stringify(listed)).not.toContain('他市');
    const download = await csv.loader(loaderArgs(context(), at('/ja/admin/renewals.csv', {})));
    const text = new TextDecoder().decode(await download.arrayBuffer());
    expect(text).toContain('本市 花子');
    expect(text).not.toContain('他市');
    // Nothing of theirs was read, renewed or printed from here.
    expect((await auditEntriesAbout(db(), theirs)).map((e) => e.action)).toEqual(['renewals.add']);
  });
});
