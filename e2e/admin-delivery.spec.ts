import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { test, expect } from './fixtures.ts';
import { appDatabase, createResident, enrolResident, signInAsNewStaff } from './support/app.ts';
import { seedMonthlyNotices } from './support/realistic-data.ts';

import { publishNotice } from '../app/notices/notice.service.server.ts';
import { tokyoDate } from '../app/i18n/dates.ts';

const unique = () => String(randomInt(100_000, 1_000_000));

/** This month in Japan, YYYY-MM. */
const japanMonth = () => tokyoDate(new Date()).slice(0, 7);

test.describe('staff: delivery status', () => {
  test.use({ locale: 'ja-JP' });

  test('a notice to two residents, one opened: 50.0%, with a chart, a table and monthly totals', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const n = unique();
    const residentContext = await browser.newContext({ baseURL, locale: 'ja-JP' });
    try {
      const resident = await residentContext.newPage();
      const reader = await enrolResident(resident, '1975-06-15', { name: `試験　配信${unique()}` });
      const other = await createResident();
      // Every month of the default period has figures, as on a running installation.
      await seedMonthlyNotices([reader.id, other.id], `d${n}`);

      const staff = await signInAsNewStaff(page, ['notices:write', 'delivery:read']);
      await page.goto('/ja/admin/notices/new');
      await page.getByLabel('差出人').selectOption('municipality');
      await page.getByLabel('タイトル（日本語）').fill(`配信状況の確認 ${n}`);
      await page.getByLabel('本文（日本語）').fill('開封率の確認です。');
      await page.getByLabel('住民のリスト（CSV ファイル）').check();
      await page.getByLabel('住民票コードの CSV ファイル').setInputFiles({
        name: 'audience.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${reader.registerCode}\n${other.registerCode}\n`),
      });
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      await expect(page).toHaveURL(/\/ja\/admin\/notices\/[0-9a-f-]{36}\?published=1$/);
      const noticePath = new URL(page.url()).pathname;

      const delivery = page.getByRole('region', { name: '配信状況' });
      await expect(delivery.getByRole('row', { name: /^配信数/ })).toContainText('2');
      await expect(delivery.getByRole('row', { name: /^開封率/ })).toContainText('0.0%');

      // One of the two opens it, twice: one open.
      for (let i = 0; i < 2; i++) {
        await resident.goto('/ja/notices');
        await resident.getByRole('link', { name: `配信状況の確認 ${n}` }).click();
        await expect(resident.getByRole('heading', { level: 1 })).toHaveText(`配信状況の確認 ${n}`);
      }

      await page.goto(noticePath);
      await expect(delivery.getByRole('row', { name: /^配信数/ })).toContainText('2');
      await expect(delivery.getByRole('row', { name: /^開封数/ })).toContainText('1');
      await expect(delivery.getByRole('row', { name: /^開封率/ })).toContainText('50.0%');
      const chart = delivery.getByRole('img', { name: '日別の開封数（公開日から、日本時間）' });
      await expect(chart).toBeVisible();
      await expect(chart.locator('rect.chart__bar')).toHaveCount(1);
      const table = delivery.getByRole('table', { name: '日別の開封数（表）' });
      await expect(table).toBeVisible();
      const today = table.locator('tbody tr');
      await expect(today).toHaveCount(1);
      await expect(today.locator('td')).toHaveText(['1', '1']);
      await checkPage({ lang: 'ja' });

      await page.goto(`/en${noticePath.slice(3)}`);
      const en = page.getByRole('region', { name: 'Delivery status' });
      await expect(en.getByRole('row', { name: /^Delivered to/ })).toContainText('2');
      await expect(en.getByRole('row', { name: /^Open rate/ })).toContainText('50.0%');
      await expect(en.getByRole('img', { name: /^Opens per day since publication/ })).toBeVisible();
      await checkPage({ lang: 'en' });

      // The monthly totals, from the staff menu.
      await page.goto('/ja/admin');
      await page
        .getByRole('navigation', { name: '職員用メニュー' })
        .getByRole('link', { name: '配信状況' })
        .click();
      await expect(page).toHaveURL(/\/ja\/admin\/delivery$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('配信状況');
      await expect(page).toHaveTitle('配信状況 | 窓口');
      const month = japanMonth();
      const [year, mm] = month.split('-').map(Number);
      const targeted = page.getByRole('table', { name: /^府省庁・自治体からのお知らせ/ });
      const row = targeted.locator(`tr[data-month="${month}"]`);
      await expect(row.getByRole('rowheader')).toHaveText(`${year}年${mm}月`);
      // Other tests publish in parallel: this month has at least this notice and its figures.
      const cells = await row.locator('td').allTextContents();
      const value = (i: number) => Number(cells[i]!.replaceAll(',', ''));
      expect(value(0)).toBeGreaterThanOrEqual(1);
      expect(value(1)).toBeGreaterThanOrEqual(2);
      expect(value(2)).toBeGreaterThanOrEqual(1);
      expect(cells[3]).toMatch(/^\d+\.\d%$/);
      await expect(page.getByRole('table', { name: /^運営主体お知らせ/ })).toBeVisible();
      await checkPage({ lang: 'ja' });

      const downloading = page.waitForEvent('download');
      await page.getByRole('link', { name: 'この期間の集計を CSV で書き出す' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^delivery-\d{6}-\d{6}-\d{8}\.csv$/);
      const bytes = await readFile((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('対象月,種類,お知らせの件数,配信数,開封数,開封率（%）');
      expect(lines).toHaveLength(2 * 12 + 2);
      expect(lines.find((l) => l.startsWith(`${month},府省庁・自治体からのお知らせ,`))).toMatch(
        /^\d{4}-\d{2},[^,]+,[1-9]\d*,\d+,\d+,\d+\.\d$/,
      );
      const { db } = appDatabase();
      const account = await db
        .selectFrom('account')
        .select('id')
        .where('displayName', '=', staff.name)
        .executeTakeFirstOrThrow();
      const exports = await db
        .selectFrom('auditLog')
        .select('details')
        .where('action', '=', 'delivery.export')
        .where('actorId', '=', account.id)
        .execute();
      expect(exports).toEqual([{ details: expect.objectContaining({ to: month }) }]);

      // English, and a period that ends before it starts: the field says why.
      await page.goto('/en/admin/delivery');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delivery status');
      await expect(page).toHaveTitle('Delivery status | Madoguchi');
      await expect(
        page.getByRole('table', { name: /^Notices from ministries and municipalities/ }),
      ).toBeVisible();
      await checkPage({ lang: 'en' });
      await page.getByLabel('From month').fill('2026-05');
      await page.getByLabel('To month').fill('2026-01');
      await page.getByRole('button', { name: 'Show this period' }).click();
      await expect(page.getByRole('alert')).toContainText(
        'Enter an end month that is the same as or after the start month',
      );
      await checkPage({ lang: 'en' });
    } finally {
      await residentContext.close();
    }
  });

  test('staff without delivery:read see no figures and get 403', async ({ page }) => {
    await signInAsNewStaff(page, ['notices:write']);
    await expect(page.getByRole('link', { name: '配信状況' })).toHaveCount(0);
    for (const path of ['/ja/admin/delivery', '/ja/admin/delivery.csv', '/en/admin/delivery']) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(403);
    }
    const a = await createResident();
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [a.id] },
      sender: 'operator',
      titleJa: `権限の確認 ${unique()}`,
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(),
      expiresAt: null,
      createdBy: null,
    });
    await page.goto(`/ja/admin/notices/${notice.id}`);
    await expect(page.getByRole('heading', { level: 2, name: '配信の情報' })).toBeVisible();
    await expect(page.getByRole('region', { name: '配信状況' })).toHaveCount(0);
  });
});
