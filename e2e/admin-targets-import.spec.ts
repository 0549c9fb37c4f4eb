import { randomInt } from 'node:crypto';
import iconv from 'iconv-lite';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { signInAsNewStaff } from './support/app.ts';

/**
 * Importing the card-pickup list as a clerk does (decision 0043): the CS terminal's CP932 file
 * with 異体字, 和暦 dates and bad lines → the job's progress → the preview with every rejected
 * line → confirm, keyboard only; a whole-file refusal; and the same without JavaScript.
 */
const HEADER = '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所';
const unique = () => `E${randomInt(100_000_000, 1_000_000_000)}`;

/** The clerk's list: 3 good lines (髙, 﨑, 和暦) and 4 bad ones (lines 3, 5, 6, 7). */
function clerkList(id: string): Buffer {
  const lines = [
    HEADER,
    `${id}-1,MN${id}1,髙橋　太郎,タカハシ　タロウ,S55.12.3,男,2380101,三浦市城山町1-1`,
    `${id}-2,MN${id}2,日付　不正,,令和0年5月1日,女,2380101,三浦市三崎`,
    `${id}-3,MN${id}3,山﨑　花子,ヤマサキ　ハナコ,平成元年1月8日,女,〒238-0101,三浦市初声町`,
    `${id}-4,MN${id}4,郵便　不正,,R2.2.29,男,238010,三浦市南下浦町`,
    `${id}-3,MN${id}5,重複　一,,1990-01-01,男,,三浦市`,
    `${id}-6,MN${id}6,=HYPERLINK("x"),,1990-01-01,男,,三浦市`,
    `${id}-7,MN${id}7,渡邉　一,,令和6年4月1日,2,,三浦市白石町`,
  ];
  return iconv.encode(lines.join('\r\n') + '\r\n', 'cp932');
}

/** Presses Tab until `target` has focus (keyboard only, as a clerk without a mouse). */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error('never reached by Tab');
}

test.describe('staff: import the card-pickup list', () => {
  test.use({ locale: 'ja-JP' });

  test('CP932 upload → progress → preview with rejected lines → confirm, keyboard only', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const id = unique();
    await signInAsNewStaff(page, ['targets:import']);
    await page.getByRole('link', { name: 'カード交付対象者の取り込み' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('カード交付対象者の取り込み');
    await checkPage({ lang: 'ja' });

    const file = page.getByLabel('交付対象者一覧の CSV ファイル');
    await file.setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: clerkList(id) });
    await tabTo(page, page.getByRole('button', { name: 'アップロードして読み込む' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ja\/admin\/targets\/import\/[0-9a-f-]{36}$/);
    const importUrl = page.url();

    // The job reads the file; the page follows it and moves focus to the preview.
    const preview = page.getByRole('heading', { name: '取り込む内容の確認' });
    await expect(preview).toBeVisible({ timeout: 30_000 });
    await expect(preview).toBeFocused();
    // Coming back to an import already read (the browser's back and forward, or a fast job
    // that finished before the page arrived): focus starts at the preview too.
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('カード交付対象者の取り込み');
    await page.goForward();
    await expect(preview).toBeFocused();
    await expect(page.getByTestId('route-announcer')).toContainText('取り込み：');
    await expect(page.locator('[data-count=new]')).toHaveText('3 件');
    await expect(page.locator('[data-count=rejected]')).toHaveText('4 行');
    const rejected = page.getByTestId('rejected-lines').locator('tbody tr');
    await expect(rejected).toHaveText([
      /^3 行目.*生年月日の年がありえません/,
      /^5 行目.*郵便番号は 7 桁の数字/,
      /^6 行目.*申請書ID が 4 行目と重複しています/,
      /^7 行目.*「氏名」が数式のような記号/,
    ]);
    await checkPage({ lang: 'ja' });

    const confirm = page.getByRole('button', { name: 'この内容で確定する' });
    await preview.focus();
    await tabTo(page, confirm);
    await page.keyboard.press('Enter');
    const result = page.getByRole('status').filter({ hasText: '取り込みを確定しました' });
    await expect(result).toHaveText(
      '取り込みを確定しました。新規 3 件、更新 0 件、変更なし 0 件です。',
    );
    await expect(result).toBeFocused();
    await expect(page.getByText('状態：確定済み')).toBeVisible();

    // In English, the same import and the list that links to it.
    await page.goto(importUrl.replace('/ja/', '/en/'));
    await expect(page.getByText('State: Confirmed')).toBeVisible();
    await expect(page.getByTestId('rejected-lines').locator('tbody tr').first()).toHaveText(
      /^Line 3.*year of the date of birth is impossible/,
    );
    await checkPage({ lang: 'en' });
    await page.goto('/en/admin/targets/import');
    await expect(page.getByRole('link', { name: 'list.csv' }).first()).toBeVisible();
    await checkPage({ lang: 'en' });
  });

  test('a whole-file refusal is said next to the field, with the error summary in focus', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(60_000);
    await signInAsNewStaff(page, ['targets:import']);
    await page.goto('/ja/admin/targets/import');
    await page.getByLabel('交付対象者一覧の CSV ファイル').setInputFiles({
      name: 'wrong.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode('氏名,住所,備考\r\n山田,三浦市,\r\n', 'cp932'),
    });
    await tabTo(page, page.getByRole('button', { name: 'アップロードして読み込む' }));
    await page.keyboard.press('Enter');
    const summary = page.getByRole('alert').filter({ hasText: '見出し行が正しくありません' });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('足りない列：申請書ID、製造管理番号');
    await expect(summary).toContainText('不明な列：備考');
    await expect(page.locator('#file-error')).toContainText('見出し行が正しくありません');
    await checkPage({ lang: 'ja' });

    await page.goto('/en/admin/targets/import');
    await page.getByLabel('CSV file of the card-pickup list').setInputFiles({
      name: 'binary.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]),
    });
    await page.getByRole('button', { name: 'Upload and read' }).click();
    const english = page.getByRole('alert').filter({ hasText: 'This is not a CSV (text) file' });
    await expect(english).toBeFocused();
    await checkPage({ lang: 'en' });
  });

  test('without JavaScript the progress page refreshes itself until the preview', async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await signInAsNewStaff(page, ['targets:import']);
    const id = unique();
    // UTF-8 with BOM: 𠮷 needs it (CP932 cannot hold it). Enough lines for the job to take a while.
    const lines = [HEADER];
    for (let n = 1; n <= 40_000; n++)
      lines.push(`${id}-${n},MN${n},𠮷田　${n},ヨシダ,S55.12.3,男,2380101,三浦市城山町${n}`);
    lines.push(`${id}-x,MNx,日付　不正,,2026年2月30日,女,,三浦市`);
    const noScript = await browser.newContext({
      baseURL,
      locale: 'ja-JP',
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
    });
    try {
      const plain = await noScript.newPage();
      await plain.goto('/ja/admin/targets/import');
      await plain.getByLabel('交付対象者一覧の CSV ファイル').setInputFiles({
        name: '𠮷田.csv',
        mimeType: 'text/csv',
        buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n'))]),
      });
      await plain.getByRole('button', { name: 'アップロードして読み込む' }).click();
      await plain.waitForURL(/\/ja\/admin\/targets\/import\/[0-9a-f-]{36}$/);
      await expect(plain.getByRole('progressbar', { name: '読み込みの進み具合' })).toBeVisible();
      await expect(plain.getByText(/40,001 行中 [\d,]+ 行を読み込みました/)).toBeVisible();
      await expect(plain.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '2');
      await expect(plain.getByRole('heading', { name: '取り込む内容の確認' })).toBeVisible({
        timeout: 60_000,
      });
      await expect(plain.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
      await expect(plain.locator('[data-count=new]')).toHaveText('40,000 件');
      await expect(plain.getByTestId('rejected-lines').locator('tbody tr')).toHaveText([
        /^40002 行目.*生年月日の日付がありえません/,
      ]);
      await plain.getByRole('button', { name: 'この内容で確定する' }).click();
      await expect(
        plain.getByRole('status').filter({ hasText: '取り込みを確定しました' }),
      ).toContainText('新規 40,000 件');
    } finally {
      await noScript.close();
    }
  });
});
