import { randomInt } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { signInAsNewStaff } from './support/app.ts';
import { registerCodeCheckDigit } from '../app/targets/register-code.ts';
import { encodeCp932 } from '../app/csv/csv-stream.server.ts';

const tenDigits = () => Array.from({ length: 10 }, () => randomInt(10)).join('');
const validCode = () => {
  const body = tenDigits();
  return `${body}${registerCodeCheckDigit(body)}`;
};

/** Tab (never a click) until the control has focus. */
async function tabTo(page: Page, target: Locator, maxStops = 80) {
  for (let i = 0; i < maxStops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

/** Fills the add form keyboard-only: Tab to the first field, type, Tab to the next. */
async function addByKeyboard(page: Page, values: string[]) {
  await tabTo(page, page.getByLabel(/^住民票コード/));
  for (const [i, value] of values.entries()) {
    await page.keyboard.press('ControlOrMeta+a');
    if (value) await page.keyboard.type(value);
    else await page.keyboard.press('Delete');
    if (i < values.length - 1) await page.keyboard.press('Tab');
    // The hint and error paragraphs are not tab stops: each Tab lands on the next input.
  }
  await page.keyboard.press('Enter');
}

test.describe('staff: e-certificate renewal targets', () => {
  test.use({ locale: 'ja-JP' });

  test('add by hand, search, mark renewed, clear another with the reason, print the form', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const n = String(randomInt(100_000, 1_000_000));
    const first = validCode();
    const second = validCode();
    await signInAsNewStaff(page, ['renewals:manage']);

    await page.getByRole('link', { name: '電子証明書の更新対象者' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('電子証明書の更新対象者');
    await checkPage({ lang: 'ja' });

    // Add a person by hand, keyboard only; a wrong check digit first.
    await page.goto('/ja/admin/renewals/new');
    await page.waitForLoadState('networkidle');
    const wrong = `${first.slice(0, 10)}${(Number(first[10]) + 1) % 10}`;
    const values = [
      wrong,
      `髙橋 更新${n}`,
      `タカハシ コウシン${n}`,
      'S55.12.3',
      '三浦市城山町1-1',
      `N-${n}`,
      '',
    ];
    await addByKeyboard(page, values);
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('検査数字が一致しません');
    await checkPage({ lang: 'ja' });
    await addByKeyboard(page, [first, ...values.slice(1)]);
    const added = page.getByRole('status').filter({ hasText: '対象者を追加しました。' });
    await expect(added).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: '登録内容を開く' })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ja\/admin\/renewals\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`髙橋 更新${n}`);
    await expect(page.getByText('昭和55年12月3日（1980年12月3日）')).toBeVisible();
    const firstUrl = page.url();

    // A second person, to clear.
    await page.goto('/ja/admin/renewals/new');
    await page.waitForLoadState('networkidle');
    await addByKeyboard(page, [
      second,
      `山﨑 転出${n}`,
      '',
      '1990-01-01',
      '三浦市三崎',
      `N-${n}`,
      '',
    ]);
    await page.getByRole('link', { name: '登録内容を開く' }).click();
    await page.waitForURL(/\/ja\/admin\/renewals\/[0-9a-f-]{36}$/);
    const secondUrl = page.url();

    // Search by notice number, keyboard only: the results heading takes focus, the count is said.
    await page.goto('/ja/admin/renewals');
    await page.waitForLoadState('networkidle');
    await tabTo(page, page.getByLabel('通知番号'));
    await page.keyboard.type(`N-${n}`);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: '検索結果' })).toBeFocused();
    await expect(page.getByTestId('search-count')).toHaveText('2 人見つかりました。');
    await expect(page.getByRole('link', { name: `髙橋 更新${n}` })).toBeVisible();
    await expect(page.getByRole('cell', { name: '更新待ち' })).toHaveCount(2);
    await checkPage({ lang: 'ja' });
    // By 異体字-folded name and 和暦 birth date.
    await page.goto(
      `/ja/admin/renewals?name=${encodeURIComponent(`高橋更新${n}`)}&birthDate=S55.12.3`,
    );
    await expect(page.getByTestId('search-count')).toHaveText('1 人見つかりました。');

    // Mark the first renewed: confirm box with Space, the button with Enter.
    await page.goto(firstUrl);
    await page.waitForLoadState('networkidle');
    await tabTo(page, page.getByRole('button', { name: '更新済みにする' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('確認のチェックを入れてください');
    await tabTo(page, page.getByLabel(/窓口でこの方の電子証明書を更新しました/));
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const renewed = page.getByRole('status').filter({ hasText: '更新済みにしました。' });
    await expect(renewed).toBeFocused();
    await expect(page.getByText('この方は更新待ちではありません')).toBeVisible();
    await checkPage({ lang: 'ja' });

    // Clear the second: the reason by arrow keys, a note, the confirm box.
    await page.goto(secondUrl);
    await page.waitForLoadState('networkidle');
    await tabTo(page, page.getByRole('radio', { name: '転出' }));
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('横須賀市へ転出');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const cleared = page.getByRole('status').filter({ hasText: '消除しました（転出）。' });
    await expect(cleared).toBeFocused();
    await expect(page.getByText('横須賀市へ転出')).toBeVisible();
    // Cleared people leave the active list and stay in history.
    await page.goto(`/ja/admin/renewals?noticeNumber=N-${n}`);
    await expect(page.getByTestId('search-count')).toHaveText('該当する方はいません。');
    await page.goto(`/ja/admin/renewals?noticeNumber=N-${n}&state=all`);
    await expect(page.getByTestId('search-count')).toHaveText('2 人見つかりました。');
    await expect(page.getByRole('cell', { name: '消除' })).toBeVisible();
    await expect(page.getByRole('cell', { name: '更新済み' })).toBeVisible();

    await page.goto(`/en/admin/renewals?noticeNumber=N-${n}&state=all`);
    await expect(page.getByTestId('search-count')).toHaveText('2 people found.');
    await checkPage({ lang: 'en' });
    await page.goto(secondUrl.replace('/ja/', '/en/'));
    await expect(page.getByText('Cleared', { exact: true })).toBeVisible();
    await checkPage({ lang: 'en' });

    // Print both forms from the list (a GET form: works without JavaScript too).
    await page.goto(`/ja/admin/renewals?noticeNumber=N-${n}&state=all`);
    await page.waitForLoadState('networkidle');
    for (const box of await page.getByRole('checkbox').all()) {
      await tabTo(page, box);
      await page.keyboard.press('Space');
    }
    await tabTo(page, page.getByRole('button', { name: '選んだ方の更新申請書を印刷する' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ja\/admin\/renewals\/print\?id=/);
    const forms = page.locator('article.renewal-form');
    await expect(forms).toHaveCount(2);
    const form = forms.filter({ hasText: first });
    await expect(
      form.getByRole('img', { name: `住民票コード ${first} のバーコード` }),
    ).toBeVisible();
    await expect(form.locator('.renewal-form__barcode svg path').first()).toBeAttached();
    await expect(form.locator('.renewal-form__code')).toHaveText(first);
    await expect(form.getByText(`髙橋 更新${n}`)).toBeVisible();
    await expect(form.getByText('三浦市城山町1-1')).toBeVisible();
    await expect(form.getByText(`N-${n}`)).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.goto(page.url().replace('/ja/', '/en/'));
    await expect(page.locator('article.renewal-form')).toHaveCount(2);
    await checkPage({ lang: 'en' });
  });

  test('import a CP932 list: preview with the refused line, confirm, the result is announced', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const n = String(randomInt(100_000, 1_000_000));
    const code = validCode();
    const encoded = encodeCp932(
      [
        '住民票コード,氏名,氏名カナ,生年月日,住所,通知番号,有効期限',
        `${code},髙橋 取込${n},タカハシ トリコミ,令和元年5月1日,三浦市初声町,IM-${n},R8.5.1`,
        `${code.slice(0, 10)}${(Number(code[10]) + 1) % 10},誤り,,2000-01-01,三浦市,IM-${n},`,
      ].join('\r\n') + '\r\n',
    );
    if (!encoded.ok) throw new Error('not CP932');
    await signInAsNewStaff(page, ['renewals:manage', 'targets:import']);
    await page.goto('/ja/admin/renewals/import');
    await checkPage({ lang: 'ja' });
    await page.getByLabel('更新対象者一覧（CSV）').setInputFiles({
      name: `renewals-${n}.csv`,
      mimeType: 'text/csv',
      buffer: encoded.bytes,
    });
    await page.getByRole('button', { name: '送信して確認する' }).press('Enter');
    await page.waitForURL(/\/ja\/admin\/renewals\/import\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('count-new')).toHaveText('1');
    await expect(page.getByTestId('count-rejected')).toHaveText('1');
    await expect(page.getByText('3 行目：住民票コードが 11 桁でないか')).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.goto(page.url().replace('/ja/', '/en/'));
    await expect(page.getByText('Line 3: The resident-register code')).toBeVisible();
    await checkPage({ lang: 'en' });
    await page.goto(page.url().replace('/en/', '/ja/'));
    await page.waitForLoadState('networkidle');
    await tabTo(page, page.getByRole('button', { name: '取り込みを確定する' }));
    await page.keyboard.press('Enter');
    const done = page.getByRole('status').filter({ hasText: '取り込みました' });
    await expect(done).toBeFocused();
    await expect(done).toHaveText('取り込みました（新規 1 件、更新 0 件、変更なし 0 件）。');
    await expect(page.getByRole('button', { name: '取り込みを確定する' })).toHaveCount(0);
    await page.goto(`/ja/admin/renewals?noticeNumber=IM-${n}`);
    await expect(page.getByRole('link', { name: `髙橋 取込${n}` })).toBeVisible();
  });

  test('without renewals:manage the pages answer 403', async ({ page }) => {
    await signInAsNewStaff(page, ['residents:read']);
    for (const path of ['/ja/admin/renewals', '/ja/admin/renewals/new', '/ja/admin/renewals/print'])
      expect((await page.goto(path))?.status()).toBe(403);
    await expect(page.getByRole('link', { name: '電子証明書の更新対象者' })).toHaveCount(0);
  });
});
