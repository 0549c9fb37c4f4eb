import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntries,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { importIds, targetListCp932, useImportSetup } from '../../../test/support/target-import.ts';
import { namesByApplicationId } from '../../../test/support/targets.ts';
import { stageUploadedImport } from '../../targets/target-import-staging.service.server.ts';
import {
  action as uploadAction,
  loader as uploadLoader,
} from '../$lang.admin.targets_.import._index/route.tsx';
import { action, loader } from './route.tsx';

/**
 * The import pages' loaders and actions on a real database and pg-boss: targets:import is
 * needed for every one of them; an upload is stored, audited and queued; a whole-file refusal
 * stores nothing; confirming twice applies once.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const setup = useImportSetup(database);
const CITY = '142107'; // MADOGUCHI_CITY_CODE's default

const fileForm = (bytes: Uint8Array, name = 'list.csv') => {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
  return form;
};
const list = (prefix: string) =>
  targetListCp932([
    `${prefix}1,MN1,髙橋 太郎,タカハシ タロウ,S55.12.3,男,2380101,三浦市城山町`,
    `${prefix}2,MN2,山﨑 花子,,令和0年5月1日,女,2380101,三浦市初声町`,
  ]);
const audits = async (importId: string) =>
  (await auditEntries(db(), { targetId: importId })).map(({ action, actorId }) => ({
    action,
    actorId,
  }));

async function upload(cookie: string, bytes: Uint8Array) {
  return settle(() =>
    uploadAction(
      actionArgs(routeContext(db(), setup.boss), {
        path: '/ja/admin/targets/import',
        params: { lang: 'ja' },
        cookie,
        form: fileForm(bytes),
      }),
    ),
  );
}

describe('the import pages', () => {
  it('refuse staff without targets:import (403), for every loader and action, and store nothing', async () => {
    const other = await staffWithSession(db(), ['targets:manage', 'insurance:import']);
    const ctx = routeContext(db(), setup.boss);
    const before = await importIds(db());
    const id = '00000000-0000-4000-8000-000000000000';
    const calls: (() => Promise<unknown>)[] = [
      () =>
        uploadLoader(loaderArgs(ctx, { path: '/ja/admin/targets/import', cookie: other.cookie })),
      () => upload(other.cookie, list('F')),
      () =>
        loader(
          loaderArgs(ctx, {
            path: `/ja/admin/targets/import/${id}`,
            params: { lang: 'ja', importId: id },
            cookie: other.cookie,
          }),
        ),
      () =>
        action(
          actionArgs(ctx, {
            path: `/ja/admin/targets/import/${id}`,
            params: { lang: 'ja', importId: id },
            cookie: other.cookie,
            form: { intent: 'confirm' },
          }),
        ),
    ];
    for (const call of calls) {
      const response = await settle(call);
      expect(response instanceof Response && response.status).toBe(403);
    }
    expect(await importIds(db())).toEqual(before);
  });

  it('uploads (audited, queued), shows progress then the preview, and confirms once for a double submit', async () => {
    const clerk = await staffWithSession(db(), ['targets:import']);
    const response = await upload(clerk.cookie, list('R'));
    expect(response instanceof Response && response.status).toBe(302);
    const location = (response as Response).headers.get('location') ?? '';
    const importId = location.split('/').at(-1)!;
    expect(location).toBe(`/ja/admin/targets/import/${importId}`);
    expect(await setup.boss.findJobs('targets.import', { data: { importId } })).toHaveLength(1);

    const page = () =>
      loader(
        loaderArgs(routeContext(db()), {
          path: location,
          params: { lang: 'ja', importId },
          cookie: clerk.cookie,
        }),
      );
    expect(await page()).toMatchObject({
      view: { state: 'staging', progress: { linesRead: 0, linesTotal: 2 } },
      refreshWithoutScript: 2,
    });
    await stageUploadedImport(db(), { municipalityCode: CITY, importId });
    expect(await page()).toMatchObject({
      view: {
        state: 'staged',
        counts: { new: 1, updated: 0, unchanged: 0, rejected: 1 },
        problems: [{ line: 3, reason: 'date', detail: 'year' }],
      },
      refreshWithoutScript: undefined,
    });

    const confirm = () =>
      settle(() =>
        action(
          actionArgs(routeContext(db()), {
            path: location,
            params: { lang: 'ja', importId },
            cookie: clerk.cookie,
            form: { intent: 'confirm' },
          }),
        ),
      );
    const [first, second] = await Promise.all([confirm(), confirm()]);
    for (const answer of [first, second])
      expect(answer).toMatchObject({ outcome: 'confirmed', counts: { new: 1 } });
    const targets = await namesByApplicationId(db(), 'R1');
    expect(targets).toEqual([{ name: '髙橋 太郎' }]);
    expect(await audits(importId)).toEqual([
      { action: 'targets.import_upload', actorId: clerk.accountId },
      { action: 'targets.import_stage', actorId: null },
      // Reading progress holds no personal data; the staged preview does, and is recorded.
      { action: 'targets.import_view', actorId: clerk.accountId },
      { action: 'targets.import', actorId: clerk.accountId },
    ]);

    // The same file again: "already imported", nothing stored.
    const again = await upload(clerk.cookie, list('R'));
    expect(again).toMatchObject({ alreadyImported: { importId } });
  });

  it('answers a whole-file refusal next to the field (400) and stores nothing', async () => {
    const clerk = await staffWithSession(db(), ['targets:import']);
    const before = await importIds(db());
    const bad = new TextEncoder().encode('氏名,住所,備考\r\n山田,三浦市,\r\n');
    const answer = await upload(clerk.cookie, bad);
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: { refused: { reason: 'header', unknown: ['備考'] } },
    });
    expect(await importIds(db())).toEqual(before);
  });
});
