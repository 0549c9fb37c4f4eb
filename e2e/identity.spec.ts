import { test, expect } from './fixtures.ts';
import {
  addVirtualAuthenticator,
  createLetter,
  createResident,
  credentialCount,
  signInWithPasskey,
} from './support/app.ts';

test.describe('residents: letter → passkey → sign out → sign in → second passkey', () => {
  test.use({ locale: 'ja-JP' });

  test('the whole first-access and passkey life cycle', async ({ page, checkPage }) => {
    const resident = await createResident({ birthDate: '1975-12-03' });
    const letter = await createLetter(resident.id);
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

    await page.goto('/ja/first-access');
    await checkPage({ lang: 'ja' });
    await page.getByLabel('通知書 ID').fill(letter.code.toLowerCase().replaceAll('-', ''));
    await page.getByLabel('パスワード').fill(letter.password);
    await page.getByLabel('年', { exact: true }).fill('1975');
    await page.getByLabel('月', { exact: true }).fill('12');
    await page.getByLabel('日', { exact: true }).fill('3');
    await page.getByRole('button', { name: '次へ' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'パスキーを登録する' })).toBeFocused();
    await page.getByRole('button', { name: 'パスキーを登録してはじめる' }).click();
    await expect(page).toHaveURL(/\/ja\/my$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('マイページ');
    expect(await credentialCount(cdp, authenticatorId)).toBe(1);

    // The authenticator holds back while we look at the signed-out page (its autofill offer
    // would otherwise be accepted at once by the virtual authenticator).
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await expect(page).toHaveURL(/\/ja\/sign-in\?signedOut=1$/);
    await expect(page.getByText('サインアウトしました。')).toBeVisible();
    await checkPage({ lang: 'ja' });

    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await page.reload();
    await signInWithPasskey(page, 'パスキーでサインイン');
    await expect(page).toHaveURL(/\/ja\/my$/);

    await page.goto('/ja/my/security');
    await checkPage({ lang: 'ja' });
    // The same authenticator refuses a second passkey for the same account (excludeCredentials).
    await page.getByRole('button', { name: 'この端末にパスキーを追加' }).click();
    await expect(page.getByRole('alert')).toContainText('すでにこのアカウントのパスキーがあります');
    // A second device: a security key; the phone's authenticator stays out of it.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const key = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.reload();
    await page.getByLabel('パスキーの名前').fill('予備のパスキー');
    await page.getByRole('button', { name: 'この端末にパスキーを追加' }).click();
    await expect(page.getByText('パスキーを追加しました。')).toBeVisible();
    await expect(page.getByRole('rowheader', { name: /予備のパスキー/ })).toBeVisible();
    expect(await credentialCount(cdp, key.authenticatorId)).toBe(1);

    await page.getByRole('link', { name: '削除: 予備のパスキー' }).click();
    await page.getByRole('button', { name: '削除する' }).click();
    await expect(page.getByText('パスキー「予備のパスキー」を削除しました。')).toBeVisible();
    await expect(page.getByRole('rowheader', { name: /予備のパスキー/ })).toHaveCount(0);

    // The last passkey cannot be removed: the account always keeps a way in.
    await page.getByRole('link', { name: /^削除: / }).click();
    await page.getByRole('button', { name: '削除する' }).click();
    await expect(page.getByText('最後のパスキーは削除できません。')).toBeVisible();
  });

  test('a wrong password is refused with one clear message and nothing is kept', async ({
    page,
  }) => {
    const resident = await createResident({ birthDate: '1990-01-20' });
    const letter = await createLetter(resident.id);
    await page.goto('/ja/first-access');
    await page.getByLabel('通知書 ID').fill(letter.code);
    await page.getByLabel('パスワード').fill('WRONGPASS1');
    await page.getByLabel('年', { exact: true }).fill('1990');
    await page.getByLabel('月', { exact: true }).fill('1');
    await page.getByLabel('日', { exact: true }).fill('20');
    await page.getByRole('button', { name: '次へ' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText(
      '通知書 ID、パスワード、生年月日のいずれかが正しくありません',
    );
    await expect(summary).toBeFocused();
    await expect(page.getByLabel('パスワード')).toHaveValue('');
    await expect(page.getByLabel('通知書 ID')).toHaveValue(letter.code);
  });

  test('the QR link opens first access already filled in', async ({ page }) => {
    const resident = await createResident({ birthDate: '2001-07-07' });
    const letter = await createLetter(resident.id);
    await addVirtualAuthenticator(page);
    await page.goto(`/en/first-access?token=${letter.linkToken}`);
    await expect(page.getByText('You opened the QR code on your letter.')).toBeVisible();
    await expect(page.getByLabel('Letter ID')).toHaveCount(0);
    await page.getByLabel('Year', { exact: true }).fill('2001');
    await page.getByLabel('Month', { exact: true }).fill('7');
    await page.getByLabel('Day', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Register a passkey and start' }).click();
    await expect(page).toHaveURL(/\/en\/my$/);
  });
});

test.describe('refused sign-ins', () => {
  test.use({ locale: 'en-GB' });

  test('a replayed passkey answer is refused and creates no session', async ({ page, baseURL }) => {
    const resident = await createResident({ birthDate: '1969-09-09' });
    const letter = await createLetter(resident.id);
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await page.goto(`/en/first-access?token=${letter.linkToken}`);
    await page.getByLabel('Year', { exact: true }).fill('1969');
    await page.getByLabel('Month', { exact: true }).fill('9');
    await page.getByLabel('Day', { exact: true }).fill('9');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Register a passkey and start' }).click();
    await expect(page).toHaveURL(/\/en\/my$/);
    // Capture the browser's signed answer as it is posted.
    let posted: string | null = null;
    await page.route('**/en/sign-in*', async (route) => {
      if (route.request().method() === 'POST') posted = route.request().postData();
      await route.continue();
    });
    // The sign-in page may be left again at once: the virtual authenticator answers the
    // passkey autofill request by itself. So wait for the arrival, not for staying there.
    const signedOut = page.waitForURL(/sign-in/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signedOut;
    await signInWithPasskey(page, 'Sign in with a passkey');
    await expect(page).toHaveURL(/\/en\/my$/);
    expect(posted).toBeTruthy();
    expect(await credentialCount(cdp, authenticatorId)).toBe(1);

    // The same answer again, from a client without a session: the challenge was used.
    const replay = await page.request.fetch(`${baseURL}/en/sign-in`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: baseURL ?? '',
        Cookie: '',
      },
      data: posted ?? '',
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(400);
    expect(replay.headers()['set-cookie'] ?? '').not.toContain('mdg_session=');
    expect(await replay.text()).toContain('This step timed out. Please try again.');
  });

  test('a resident session never opens a staff page; anonymous visitors go to staff sign-in and back', async ({
    page,
  }) => {
    const response = await page.goto('/en/admin');
    expect(page.url()).toMatch(/\/en\/admin\/sign-in\?redirectTo=%2Fen%2Fadmin$/);
    expect(response?.status()).toBe(200);

    const resident = await createResident({ birthDate: '1988-08-08' });
    const letter = await createLetter(resident.id);
    await addVirtualAuthenticator(page);
    await page.goto(`/en/first-access?token=${letter.linkToken}`);
    await page.getByLabel('Year', { exact: true }).fill('1988');
    await page.getByLabel('Month', { exact: true }).fill('8');
    await page.getByLabel('Day', { exact: true }).fill('8');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Register a passkey and start' }).click();
    await expect(page).toHaveURL(/\/en\/my$/);
    const forbidden = await page.goto('/en/admin');
    expect(forbidden?.status()).toBe(403);
    await expect(page.locator('h1')).toHaveText('You do not have permission to view this page');

    // A resident's passkey does not open the staff sign-in either.
    await page.goto('/en/admin/sign-in');
    const refusal = page.locator('.error-summary');
    // Autofill (conditional UI) answers by itself here; otherwise press the button.
    const autofilled = await refusal.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (!autofilled) await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(refusal).toContainText('This passkey cannot sign in here.');
    await expect(page).toHaveURL(/\/en\/admin\/sign-in$/);
  });
});
