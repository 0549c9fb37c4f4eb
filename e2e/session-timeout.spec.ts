import { createHash, randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { pageProblems } from './page-check.ts';
import {
  appDatabase,
  createResident,
  enrolResident,
  signInAsNewStaff,
  signInWithPasskey,
} from './support/app.ts';

/**
 * Session timeouts (WCAG 2.2.1). Time is moved on both sides: on the server by moving the
 * session's deadlines in the database (as if minutes had passed), in the browser with
 * Playwright's clock.
 */
const unique = () => String(randomInt(100_000, 1_000_000));

async function sessionIdOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'mdg_session');
  expect(cookie, 'a session cookie').toBeTruthy();
  const { db } = appDatabase();
  const row = await db
    .selectFrom('session')
    .select('id')
    .where('tokenHash', '=', createHash('sha256').update(cookie!.value).digest())
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The server's view of time: the session ends `idleSeconds` (and `absoluteSeconds`) from now. */
async function moveDeadlines(
  page: Page,
  idleSeconds: number,
  absoluteSeconds?: number,
): Promise<string> {
  const id = await sessionIdOf(page);
  const at = (s: number) => new Date(Date.now() + s * 1000);
  await appDatabase()
    .db.updateTable('session')
    .set({
      idleExpiresAt: at(idleSeconds),
      ...(absoluteSeconds === undefined ? {} : { absoluteExpiresAt: at(absoluteSeconds) }),
    })
    .where('id', '=', id)
    .execute();
  return id;
}

async function idleExpiry(id: string): Promise<Date> {
  const row = await appDatabase()
    .db.selectFrom('session')
    .select('idleExpiresAt')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.idleExpiresAt;
}

/**
 * The page at the same address in another tab of the same browser, which has no passkey: the
 * test's own tab has a virtual authenticator that answers the sign-in page's passkey autofill
 * by itself, and would sign in before the page could be read.
 */
async function sameAddressElsewhere(page: Page, url = page.url()): Promise<Page> {
  const other = await page.context().newPage();
  await other.goto(url);
  return other;
}

const draftKeys = (page: Page) =>
  page.evaluate(() =>
    Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i) ?? '').filter(
      (k) => k.startsWith('madoguchi:draft:'),
    ),
  );

test.describe('session timeout', () => {
  test.use({ locale: 'ja-JP' });

  test('warns before the idle expiry, extends; after expiry says why and restores the notice draft', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const n = unique();
    await page.clock.install();
    await signInAsNewStaff(page, ['notices:write']);
    await page.goto('/ja/admin/notices/new');
    await page.waitForLoadState('networkidle');
    const title = page.getByLabel('タイトル（日本語）');
    const body = page.getByLabel('本文（日本語）');
    await title.fill(`窓口の臨時休業 ${n}`);
    await body.fill('12月29日から1月3日まで、窓口はお休みします。\n\nご不便をおかけします。');
    await body.focus();

    // Thirteen minutes without a request: 100 seconds are left on the server.
    const id = await moveDeadlines(page, 100);
    await page.clock.fastForward('13:01');
    const dialog = page.getByRole('alertdialog', { name: 'まもなくサインアウトします' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(
      /15分間操作がないと.*\d\d:\d\d にサインアウトします/,
    );
    const stay = dialog.getByRole('button', { name: 'サインインを続ける' });
    await expect(stay).toBeFocused();
    await checkPage({ lang: 'ja' });

    await stay.click();
    await expect(dialog).toBeHidden();
    await expect(body).toBeFocused();
    await expect(page.getByTestId('session-timeout-status')).toContainText(
      'サインインを続けます。',
    );
    expect((await idleExpiry(id)).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('お知らせの作成');

    // Then nobody comes back: the session ends on the server, the page goes to sign-in.
    await moveDeadlines(page, -1);
    await page.clock.fastForward('15:00');
    await page.waitForURL(/\/ja\/admin\/sign-in\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('reason')).toBe('idle');
    expect(url.searchParams.get('redirectTo')).toBe('/ja/admin/notices/new');
    const signIn = await sameAddressElsewhere(page);
    await expect(signIn.getByRole('status').filter({ hasText: '15分間' })).toHaveText(
      '15分間操作がなかったため、安全のためにサインアウトしました。もう一度サインインすると、元のページに戻ります。',
    );
    await signIn.close();

    await signInWithPasskey(page, 'パスキーでサインイン');
    await expect(page).toHaveURL(/\/ja\/admin\/notices\/new$/);
    await expect(page.getByTestId('form-draft-status')).toContainText(
      /\d\d:\d\d に入力していた下書きを元に戻しました。/,
    );
    await expect(title).toHaveValue(`窓口の臨時休業 ${n}`);
    await expect(body).toHaveValue(
      '12月29日から1月3日まで、窓口はお休みします。\n\nご不便をおかけします。',
    );

    // Discarding empties the form and starts again at its first field.
    await page.getByRole('button', { name: '下書きを消す' }).click();
    await expect(title).toHaveValue('');
    await expect(body).toHaveValue('');
    await expect(page.getByTestId('form-draft-status')).toHaveText('下書きを消しました。');
    await expect(page.getByLabel('差出人')).toBeFocused();
    expect(await draftKeys(page)).toEqual([]);
  });

  test('a to-do posted after the session ended comes back after signing in; done, the draft goes (en)', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const n = unique();
    const resident = await createResident();
    await signInAsNewStaff(page, ['todos:write']);
    await page.goto('/en/admin/todos/new');
    await page.waitForLoadState('networkidle');
    const title = page.getByLabel('Title in English');
    const description = page.getByLabel('Description in English (optional)');
    await title.fill(`Book a pick-up ${n}`);
    await description.fill('Please book a time to collect your card.');
    await page.getByLabel('Where it is done (link)').fill('/my');
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Due date').fill(due);
    const file = page.getByLabel('CSV file of resident register codes');
    const list = {
      name: 'audience.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`register_code\n${resident.registerCode}\n`),
    };
    await file.setInputFiles(list);

    // The session ends while the form is open (the laptop slept: no warning ran); then Submit.
    await moveDeadlines(page, -1);
    await page.getByRole('button', { name: 'Create the to-do' }).click();
    await page.waitForURL(/\/en\/admin\/sign-in\?/);
    expect(new URL(page.url()).searchParams.get('reason')).toBe('idle');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/en/admin/todos/new');
    const signIn = await sameAddressElsewhere(page);
    await expect(signIn.getByRole('status').filter({ hasText: 'signed out' })).toHaveText(
      'You were signed out after 15 minutes without activity, to keep your account safe. Sign in again to go back to where you were.',
    );
    expect(await pageProblems(signIn, { lang: 'en' })).toEqual([]);
    await signIn.close();

    await signInWithPasskey(page, 'Sign in with a passkey');
    await expect(page).toHaveURL(/\/en\/admin\/todos\/new$/);
    await expect(page.getByTestId('form-draft-status')).toContainText(
      /We restored the draft you were typing at \d\d:\d\d\./,
    );
    await expect(title).toHaveValue(`Book a pick-up ${n}`);
    await expect(description).toHaveValue('Please book a time to collect your card.');
    await expect(page.getByLabel('Where it is done (link)')).toHaveValue('/my');

    await expect(page.getByLabel('Due date')).toHaveValue(due);

    // The file is the one thing a browser cannot keep; with it, the to-do is created once.
    await file.setInputFiles(list);
    await page.getByRole('button', { name: 'Create the to-do' }).click();
    await expect(page).toHaveURL(/\/en\/admin\/todos\/new\?created=1$/);
    expect(await draftKeys(page)).toEqual([]);
    await page.reload();
    await expect(page.getByTestId('form-draft-status')).toBeEmpty();
    const created = await appDatabase()
      .db.selectFrom('todo')
      .select('residentId')
      .where('titleEn', '=', `Book a pick-up ${n}`)
      .execute();
    expect(created).toEqual([{ residentId: resident.id }]);

    // Signing out on purpose leaves nothing typed behind in this tab.
    await title.fill(`Another ${n}`);
    await expect.poll(() => draftKeys(page)).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/en\/admin\/sign-in\?signedOut=1$/);
    await expect.poll(() => draftKeys(page)).toEqual([]);
  });

  test('before the absolute limit the warning says when and that it cannot be extended; after it, sign-in says why', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    await signInAsNewStaff(page, ['notices:write']);
    await page.goto('/en/admin/notices/new');
    await page.waitForLoadState('networkidle');
    const body = page.getByLabel('Body in English');
    await body.fill('Draft');

    // Four minutes before the end of the working day's session.
    await moveDeadlines(page, 240, 240);
    await page.reload();
    const dialog = page.getByRole('alertdialog', {
      name: 'You will be signed out soon (this cannot be extended)',
    });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(
      /ends 9 hours after signing in.*signed out at \d\d:\d\d.*cannot be extended/,
    );
    const ok = dialog.getByRole('button', { name: 'OK' });
    await expect(ok).toBeFocused();
    await expect(dialog.getByRole('button', { name: 'Stay signed in' })).toHaveCount(0);
    await checkPage({ lang: 'en' });
    await ok.click();
    await expect(dialog).toBeHidden();

    await moveDeadlines(page, -1, -1);
    const other = await sameAddressElsewhere(page, '/en/admin/notices/new');
    await other.waitForURL(/\/en\/admin\/sign-in\?/);
    const query = new URL(other.url()).searchParams;
    expect(query.get('reason')).toBe('absolute');
    await expect(other.getByRole('status').filter({ hasText: 'signed out' })).toContainText(
      'You were signed out because 9 hours have passed since you signed in',
    );
    await other.goto(`/ja/admin/sign-in?${query.toString()}`);
    await expect(other.getByRole('status').filter({ hasText: 'サインアウト' })).toContainText(
      'サインインしてから9時間が過ぎたため',
    );

    // Residents have their own limits; a reason that is not ours shows nothing.
    await other.goto('/ja/sign-in?reason=idle');
    await expect(other.getByText('30分間操作がなかったため')).toBeVisible();
    await other.goto('/en/sign-in?reason=Your+account+was+hacked');
    await expect(other.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    await expect(other.getByText(/signed out|hacked/)).toHaveCount(0);
  });

  test('residents are warned before their 30 minutes are up; Escape keeps them signed in', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.clock.install();
    await enrolResident(page, '1985-06-15');
    await page.goto('/en/my');
    await page.waitForLoadState('networkidle');
    const id = await moveDeadlines(page, 100);
    await page.clock.fastForward('28:01');
    const dialog = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(/after 30 minutes without activity/);
    await expect(dialog.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('session-timeout-status')).toContainText(
      'You are still signed in.',
    );
    expect((await idleExpiry(id)).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);

    // Extending is an action like any other: another site cannot do it with the cookie.
    await moveDeadlines(page, 100);
    const before = await idleExpiry(id);
    const forged = await page.request.post('/en/session', {
      headers: { Origin: 'https://elsewhere.example', 'Sec-Fetch-Site': 'cross-site' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await idleExpiry(id)).toEqual(before);
  });

  test('a proxy grant posted after the session ended comes back after signing in; done, the draft goes', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await enrolResident(page, '1960-01-20');
    await page.goto('/ja/my/proxies');
    await page.waitForLoadState('networkidle');
    const name = page.getByLabel('代理人の名前');
    await name.fill('佐藤　花子');
    await page.getByLabel('お知らせを読む').check();
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('終了日').fill(end);

    await moveDeadlines(page, -1);
    await page.getByRole('button', { name: '招待リンクを作る' }).click();
    await page.waitForURL(/\/ja\/sign-in\?/);
    expect(new URL(page.url()).searchParams.get('reason')).toBe('idle');
    await signInWithPasskey(page, 'パスキーでサインイン');
    await expect(page).toHaveURL(/\/ja\/my\/proxies$/);
    await expect(page.getByTestId('form-draft-status')).toContainText('下書きを元に戻しました');
    await expect(name).toHaveValue('佐藤　花子');
    await expect(page.getByLabel('お知らせを読む')).toBeChecked();
    await expect(page.getByLabel('終了日')).toHaveValue(end);

    await page.getByRole('button', { name: '招待リンクを作る' }).click();
    await expect(page.getByTestId('proxy-invitation-link')).toContainText(
      '/ja/proxy/accept?token=',
    );
    await expect.poll(() => draftKeys(page)).toEqual([]);
  });

  test('without JavaScript pages work as before and show no warning', async ({
    page,
    browser,
    baseURL,
  }) => {
    await signInAsNewStaff(page, ['notices:write']);
    await moveDeadlines(page, 60); // well inside the warning time
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    await context.addCookies(await page.context().cookies());
    const noScript = await context.newPage();
    await noScript.goto('/ja/admin/notices/new');
    await expect(noScript.getByRole('heading', { level: 1 })).toHaveText('お知らせの作成');
    await expect(noScript.getByLabel('タイトル（日本語）')).toBeEditable();
    await expect(noScript.getByRole('alertdialog')).toHaveCount(0);
    await context.close();
  });
});
