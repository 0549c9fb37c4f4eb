import { randomInt } from 'node:crypto';

import { test, expect } from './fixtures.ts';
import {
  addVirtualAuthenticator,
  appDatabase,
  createResident,
  credentialCount,
  signInAsNewStaff,
} from './support/app.ts';

const unique = () => String(randomInt(100_000, 1_000_000));

test.describe('staff: find a resident and issue a first-access letter', () => {
  test.use({ locale: 'ja-JP' });

  test('search, open the record, issue and print; the resident starts with the letter', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const n = unique();
    const yoshida = await createResident({
      name: `𠮷田　テスト${n}`,
      nameKana: `ヨシダ　テスト${n}`,
      birthDate: '1968-02-29',
    });
    const takahashi = await createResident({
      name: `髙橋　テスト${n}`,
      nameKana: `タカハシ　テスト${n}`,
    });
    const yamasaki = await createResident({
      name: `山﨑　テスト${n}`,
      nameKana: `ヤマサキ　テスト${n}`,
    });
    await signInAsNewStaff(page, ['residents:read', 'letters:issue']);

    await page.getByRole('link', { name: '住民の検索・通知書' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('住民の検索');
    await expect(page.getByText('いずれかを入力して検索してください')).toBeVisible();
    await checkPage({ lang: 'ja' });

    // A date that does not exist is refused before any search runs.
    await page.getByLabel('年', { exact: true }).fill('1968');
    await page.getByLabel('月', { exact: true }).fill('2');
    await page.getByLabel('日', { exact: true }).fill('30');
    await page.getByRole('button', { name: '検索する' }).click();
    await expect(page.getByRole('alert')).toContainText('生年月日は、実在する日付');

    // By name: every uncommon character comes back exactly as stored.
    await page.goto('/ja/admin/residents');
    await page.getByLabel('氏名・住民票コード・製造番号').fill(`テスト${n}`);
    await page.getByRole('button', { name: '検索する' }).click();
    await expect(page.getByText('3 件見つかりました。')).toBeVisible();
    for (const r of [yoshida, takahashi, yamasaki]) {
      const link = page.locator(`a[href$="/admin/residents/${r.id}"]`);
      expect(await link.textContent()).toBe(r.name);
    }
    await checkPage({ lang: 'ja' });
    await page.goto(`/en/admin/residents?q=${encodeURIComponent(`テスト${n}`)}`);
    await expect(page.getByText('Residents found: 3.')).toBeVisible();
    await checkPage({ lang: 'en' });

    // Typed the way people write it, a name with 異体字 is found and shown as registered.
    await page.goto(`/ja/admin/residents?q=${encodeURIComponent(`山崎 テスト${n}`)}`);
    await expect(page.getByText('1 件見つかりました。')).toBeVisible();
    expect(await page.locator(`a[href$="/admin/residents/${yamasaki.id}"]`).textContent()).toBe(
      yamasaki.name,
    );
    await page.goto(`/ja/admin/residents?q=${encodeURIComponent(`高橋テスト${n}`)}`);
    await expect(page.locator(`a[href$="/admin/residents/${takahashi.id}"]`)).toHaveText(
      takahashi.name,
    );

    // A full page of results with long names, on a phone in both languages.
    for (let i = 0; i < 30; i++)
      await createResident({
        name: `勘解由小路　左衛門三郎之助長${n}の${i}`,
        nameKana: `カデノコウジ　サエモンサブロウノスケナガ${n}`,
        municipalityName: '北海道虻田郡洞爺湖町字洞爺湖温泉',
      });
    for (const lang of ['ja', 'en'] as const) {
      await page.goto(`/${lang}/admin/residents?q=${encodeURIComponent(`長${n}の`)}`);
      await expect(page.locator('tbody tr')).toHaveCount(30);
      await checkPage({ lang });
    }

    // By reading, typed in hiragana, with the date of birth.
    await page.goto('/ja/admin/residents');
    await page.getByLabel('氏名・住民票コード・製造番号').fill(`よしだ　てすと${n}`);
    await page.getByLabel('年', { exact: true }).fill('1968');
    await page.getByLabel('月', { exact: true }).fill('2');
    await page.getByLabel('日', { exact: true }).fill('29');
    await page.getByRole('button', { name: '検索する' }).click();
    await expect(page.getByText('1 件見つかりました。')).toBeVisible();
    await expect(page.getByRole('cell', { name: /昭和43年2月29日/ })).toBeVisible();
    await page.locator(`a[href$="/admin/residents/${yoshida.id}"]`).click();

    const detailUrl = `/ja/admin/residents/${yoshida.id}`;
    await expect(page).toHaveURL(new RegExp(`${detailUrl}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${yoshida.name} さんの記録`, {
      useInnerText: true,
    });
    await expect(page).toHaveTitle(`${yoshida.name} さんの記録 | 窓口`);
    await expect(page.getByRole('rowheader', { name: '住民票コード' })).toBeVisible();
    await expect(page.getByRole('cell', { name: yoshida.registerCode })).toBeVisible();
    await expect(page.getByText('この住民に発行した通知書はありません。')).toBeVisible();
    await checkPage({ lang: 'ja' });
    await page.goto(`/en/admin/residents/${yoshida.id}`);
    await expect(page.getByRole('button', { name: 'Issue a first-access letter' })).toBeVisible();
    await checkPage({ lang: 'en' });

    await page.goto(detailUrl);
    await page.getByRole('button', { name: '利用開始の通知書を発行する' }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/letters\/[0-9a-f-]{36}\/print$/);
    const printUrl = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('通知書の印刷');
    await expect(page.getByRole('button', { name: '印刷する' })).toBeVisible();
    const letter = page.getByRole('article', { name: '窓口サイトの利用開始のお知らせ' });
    await expect(letter).toContainText(yoshida.name);
    await expect(letter).toContainText('三浦市');
    await expect(letter).toContainText(`${new URL(baseURL ?? '').origin}/ja/first-access`);
    const code = (await letter.locator('[data-letter-code]').getAttribute('data-letter-code'))!;
    const password = (await letter
      .locator('[data-letter-password]')
      .getAttribute('data-letter-password'))!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(password).toMatch(/^[0-9A-Z]{10}$/);
    await expect(letter.locator('[data-letter-code]')).toHaveText(code);
    await expect(letter.locator('[data-letter-password]')).toHaveText(password);
    const qr = letter.getByRole('img', { name: /^QR コード：/ });
    await expect(qr.locator('svg')).toBeVisible();
    const qrTarget = new URL((await qr.getAttribute('data-qr-target'))!);
    expect(qrTarget.pathname).toBe('/ja/first-access');
    expect(qrTarget.searchParams.get('token')).toBeTruthy();
    await checkPage({ lang: 'ja' });

    // The button opens the browser's print dialog; without JavaScript the page says how.
    await page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes');
    });
    await page.getByRole('button', { name: '印刷する' }).click();
    await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');
    const noScript = await browser.newContext({
      baseURL,
      locale: 'ja-JP',
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
    });
    try {
      const plain = await noScript.newPage();
      const response = await plain.goto(printUrl);
      // The page holds a password: no cache may keep it.
      expect(response?.headers()['cache-control']).toBe('no-store');
      await expect(plain.getByText('ブラウザーの印刷機能')).toBeVisible();
      await expect(plain.getByRole('button', { name: '印刷する' })).toHaveCount(0);
    } finally {
      await noScript.close();
    }

    // On paper: the letter alone, without the site's header, footer or page tools.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.locator('.site-footer')).toBeHidden();
    await expect(page.getByRole('button', { name: '印刷する' })).toBeHidden();
    await expect(letter).toBeVisible();
    await page.emulateMedia({ media: 'screen' });

    await page.goto(printUrl.replace('/ja/', '/en/'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Print a letter');
    await expect(page.locator('[data-letter-code]')).toHaveText(code);
    await checkPage({ lang: 'en' });

    // The resident, on their own device: no staff session.
    const residentContext = await browser.newContext({ baseURL, locale: 'ja-JP' });
    try {
      const resident = await residentContext.newPage();
      const { cdp, authenticatorId } = await addVirtualAuthenticator(resident);

      // The QR code's link opens first access with the letter already filled in.
      await resident.goto(qrTarget.pathname + qrTarget.search);
      await expect(resident.getByText('通知書の QR コードから開きました。')).toBeVisible();
      await expect(resident.getByLabel('通知書 ID')).toHaveCount(0);

      // Typing the letter by hand works as well; this is the way used to finish.
      await resident.goto('/ja/first-access');
      await resident.getByLabel('通知書 ID').fill(code);
      await resident.getByLabel('パスワード').fill(password);
      await resident.getByLabel('年', { exact: true }).fill('1968');
      await resident.getByLabel('月', { exact: true }).fill('2');
      await resident.getByLabel('日', { exact: true }).fill('29');
      await resident.getByRole('button', { name: '次へ' }).click();
      await resident.getByRole('button', { name: 'パスキーを登録してはじめる' }).click();
      await expect(resident).toHaveURL(/\/ja\/my$/);
      expect(await credentialCount(cdp, authenticatorId)).toBe(1);
    } finally {
      await residentContext.close();
    }

    // A used letter has lost its password: it can no longer be printed.
    await page.goto(printUrl);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('この通知書は印刷できません');
    await expect(page.getByText('本人がすでに使ったため')).toBeVisible();
    await expect(page.locator('[data-letter-password]')).toHaveCount(0);
    await page.getByRole('link', { name: '住民の記録に戻る' }).click();
    await expect(page).toHaveURL(new RegExp(`${detailUrl}$`));
    await expect(page.getByRole('row', { name: new RegExp(code) })).toContainText('使用済み');
  });

  test('a form submitted twice issues one letter', async ({ page, baseURL }) => {
    const resident = await createResident();
    await signInAsNewStaff(page, ['residents:read', 'letters:issue']);
    const detailUrl = `/ja/admin/residents/${resident.id}`;
    await page.goto(detailUrl);
    const key = await page.locator('input[name="idempotencyKey"]').inputValue();
    const submit = () =>
      page.request.post(detailUrl, {
        form: { intent: 'issue', idempotencyKey: key },
        headers: { Origin: new URL(baseURL ?? '').origin },
        maxRedirects: 0,
      });

    // A double click: both at once; then a resubmission of the same page later.
    const [first, second] = await Promise.all([submit(), submit()]);
    const third = await submit();
    for (const response of [first, second, third]) expect(response.status()).toBe(302);
    const location = first.headers()['location'];
    expect(location).toMatch(/^\/ja\/admin\/letters\/[0-9a-f-]{36}\/print$/);
    expect(second.headers()['location']).toBe(location);
    expect(third.headers()['location']).toBe(location);

    await page.reload();
    const letters = page.getByRole('table', { name: '通知書' }).locator('tbody tr');
    await expect(letters).toHaveCount(1);
    await expect(letters.first()).toContainText('未使用');
    const letterId = location!.split('/')[4]!;
    const { db } = appDatabase();
    const issued = await db
      .selectFrom('auditLog')
      .select(['actorType', 'onBehalfOfResidentId'])
      .where('action', '=', 'letter.issue')
      .where('targetId', '=', letterId)
      .execute();
    expect(issued).toEqual([{ actorType: 'staff', onBehalfOfResidentId: resident.id }]);

    // The letter that was issued is the one still valid, and it prints.
    await page.goto(location!);
    await expect(page.locator('[data-letter-password]')).toHaveCount(1);

    // A new page view is a new key, and so a new letter that replaces the first.
    await page.goto(detailUrl);
    await page.getByRole('button', { name: '利用開始の通知書を発行する' }).click();
    await expect(page).toHaveURL(/\/print$/);
    expect(new URL(page.url()).pathname).not.toBe(location);
    await page.goto(detailUrl);
    await expect(letters).toHaveCount(2);
    await expect(page.getByRole('table', { name: '通知書' })).toContainText('無効');
  });

  test('staff who may only read see no issue form and cannot issue or print', async ({
    page,
    baseURL,
  }) => {
    const resident = await createResident();
    await signInAsNewStaff(page, ['residents:read']);
    const detailUrl = `/ja/admin/residents/${resident.id}`;
    await page.goto(detailUrl);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(resident.name);
    await expect(page.getByRole('button', { name: '利用開始の通知書を発行する' })).toHaveCount(0);
    await expect(page.locator('input[name="idempotencyKey"]')).toHaveCount(0);

    const response = await page.request.post(detailUrl, {
      form: { intent: 'issue', idempotencyKey: crypto.randomUUID() },
      headers: { Origin: new URL(baseURL ?? '').origin },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);

    const print = await page.request.get(`/ja/admin/letters/${crypto.randomUUID()}/print`, {
      maxRedirects: 0,
    });
    expect(print.status()).toBe(403);
  });

  test('an unknown resident or letter is a 404, and signed-out visitors are sent to sign in', async ({
    page,
  }) => {
    const signedOut = await page.request.get('/ja/admin/residents', { maxRedirects: 0 });
    expect(signedOut.status()).toBe(302);
    expect(signedOut.headers()['location']).toContain('/ja/admin/sign-in?redirectTo=');

    await signInAsNewStaff(page, ['residents:read', 'letters:issue']);
    for (const path of [
      `/ja/admin/residents/${crypto.randomUUID()}`,
      '/ja/admin/residents/not-an-id',
      `/ja/admin/letters/${crypto.randomUUID()}/print`,
    ]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
    }
  });
});
