import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect as baseExpect } from './fixtures.ts';
import { addVirtualAuthenticator, appDatabase, createStaffInvite } from './support/app.ts';
import { recordAudit } from '../app/audit/audit.service.server.ts';
import type { Permission } from '../app/identity/permissions.ts';
import { addDays, tokyoDate } from '../app/i18n/dates.ts';
import { seedAudit } from './support/realistic-data.ts';

// Each step here is a full server round trip on a busy two-core machine: allow for it.
const expect = baseExpect.configure({ timeout: 10_000 });

/** Accepts a fresh staff invitation with a passkey; returns the new staff account's id. */
async function enrolStaff(page: Page, permissions: Permission[]): Promise<string> {
  // A Latin name: the header shows it, and the English page must hold no Japanese text.
  const invite = await createStaffInvite(permissions, 'Sato Kansa');
  await addVirtualAuthenticator(page);
  await page.goto(`/ja/admin/accept?token=${invite.token}`);
  // A click before hydration would post the form without a passkey.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'パスキーを登録して職員アカウントを作成' }).click();
  await expect(page).toHaveURL(/\/ja\/admin$/);
  const { accountId } = await appDatabase()
    .db.selectFrom('staffInvitation')
    .select('accountId')
    .where('id', '=', invite.id)
    .executeTakeFirstOrThrow();
  return accountId!;
}

/** The Japan calendar day of the account's sign-in, and the day before it. */
async function signInDays(accountId: string) {
  const { occurredAt } = await appDatabase()
    .db.selectFrom('auditLog')
    .select('occurredAt')
    .where('actorId', '=', accountId)
    .where('action', '=', 'auth.sign_in')
    .executeTakeFirstOrThrow();
  const day = tokyoDate(occurredAt);
  return { day, before: addDays(day, -1) };
}

const actionCells = (page: Page) => page.locator('tbody tr > :nth-child(3)');

test.describe('audit log (ja)', () => {
  test.use({ locale: 'ja-JP' });

  test('shows the sign-in, filters by action and period, explains bad filters', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(60_000);
    // The unfiltered log as a real one looks: many rows with long ids and addresses.
    await seedAudit(30);
    const accountId = await enrolStaff(page, ['audit:read']);
    const signIn = page
      .getByRole('row')
      .filter({ hasText: accountId })
      .filter({ hasText: 'auth.sign_in' });

    await page.getByRole('link', { name: '監査ログ' }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/audit$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('監査ログ');
    await expect(page).toHaveTitle('監査ログ | 窓口');
    await expect(page.getByRole('table', { name: '監査ログ（新しい順）' })).toBeVisible();
    await expect(signIn).toBeVisible();
    await expect(signIn).toContainText('職員');
    await expect(signIn).toContainText('成功');
    await expect(signIn.locator('time')).toHaveAttribute(
      'datetime',
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    );
    await checkPage({ lang: 'ja' });

    // Action prefix.
    await page.getByLabel('操作', { exact: true }).fill('auth.');
    await page.getByRole('button', { name: 'この条件で表示' }).click();
    await expect(page).toHaveURL(/[?&]action=auth\.(&|$)/);
    await expect(page.getByRole('heading', { level: 2, name: '検索結果' })).toBeFocused();
    await expect(signIn).toBeVisible();
    for (const action of await actionCells(page).allTextContents())
      expect(action).toMatch(/^auth\./);
    await expect(page.getByRole('row').filter({ hasText: 'staff.accept_invitation' })).toHaveCount(
      0,
    );
    await expect(page.getByLabel('操作', { exact: true })).toHaveValue('auth.');

    // Period, in Japan calendar days: the day of the sign-in includes it, the day before not.
    const { day, before } = await signInDays(accountId);
    await page.getByLabel('開始日').fill(day);
    await page.getByLabel('終了日').fill(day);
    await page.getByRole('button', { name: 'この条件で表示' }).click();
    await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
    await expect(signIn).toBeVisible();
    await page.getByLabel('開始日').fill(before);
    await page.getByLabel('終了日').fill(before);
    await page.getByRole('button', { name: 'この条件で表示' }).click();
    await expect(page).toHaveURL(new RegExp(`from=${before}&to=${before}`));
    await expect(page.getByRole('heading', { level: 2, name: '検索結果' })).toBeVisible();
    await expect(signIn).toHaveCount(0);

    // Bad input: a summary that takes focus, an error at each field, and no results.
    await page.getByLabel('操作', { exact: true }).fill('auth-sign');
    await page.getByLabel('開始日').fill(day);
    await page.getByLabel('終了日').fill(before);
    await page.getByRole('button', { name: 'この条件で表示' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('入力内容を確認してください');
    await expect(summary.getByRole('link', { name: /^操作: 英小文字/ })).toBeVisible();
    await expect(summary.getByRole('link', { name: /^終了日: 終了日は開始日/ })).toBeVisible();
    await expect(page.getByLabel('操作', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('終了日')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('table')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'CSVで書き出す' })).toHaveCount(0);
    await checkPage({ lang: 'ja' });
  });

  test('exports the filtered records as CSV, and logs both the views and the export', async ({
    page,
  }) => {
    const accountId = await enrolStaff(page, ['audit:read']);
    await page.goto('/ja/admin/audit?action=auth.');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSVで書き出す' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{8}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1);
    const [header, ...lines] = csv.split('\r\n');
    expect(header).toBe(
      '通番,ID,日時（日本時間）,操作した人の種類,操作した人の ID,対象の住民の ID,操作,対象の種類,対象の ID,結果,接続元アドレス,詳細,前の記録のハッシュ,ハッシュ',
    );
    expect(lines.some((l) => l.includes(`,${accountId},`) && l.includes(',auth.sign_in,'))).toBe(
      true,
    );
    expect(csv).not.toContain('staff.accept_invitation');

    // The same export over HTTP with the browser's cookies.
    const response = await page.request.get('/ja/admin/audit.csv?action=auth.&outcome=success');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers()['content-disposition']).toMatch(
      /^attachment; filename="audit-\d{8}\.csv"$/,
    );
    const body = await response.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8')).toContain(',auth.sign_in,');

    // Staff reading the log is in the log.
    await page.goto(`/ja/admin/audit?actorId=${accountId}&action=audit.`);
    const mine = page.getByRole('row').filter({ hasText: accountId });
    await expect(mine.filter({ hasText: 'audit.export' })).toHaveCount(2);
    await expect(mine.filter({ hasText: 'audit.view' })).toHaveCount(1);
    const exports = await appDatabase()
      .db.selectFrom('auditLog')
      .select('details')
      .where('actorId', '=', accountId)
      .where('action', '=', 'audit.export')
      .orderBy('seq')
      .execute();
    expect(exports.map((e) => e.details)).toEqual([
      { action: 'auth.' },
      { action: 'auth.', outcome: 'success' },
    ]);
  });

  test('staff without audit:read get the 403 page for the log and its CSV', async ({ page }) => {
    await enrolStaff(page, []);
    await expect(page.getByRole('link', { name: '監査ログ' })).toHaveCount(0);

    const pageResponse = await page.goto('/ja/admin/audit');
    expect(pageResponse?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'このページを表示する権限がありません',
    );

    const csvResponse = await page.goto('/ja/admin/audit.csv');
    expect(csvResponse?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'このページを表示する権限がありません',
    );
    await expect(page).toHaveTitle('このページを表示する権限がありません | 窓口');
  });

  test('an anonymous visitor is sent to the staff sign-in and back', async ({ page, request }) => {
    await page.goto('/ja/admin/audit?action=auth.');
    await expect(page).toHaveURL(
      `/ja/admin/sign-in?redirectTo=${encodeURIComponent('/ja/admin/audit?action=auth.')}`,
    );
    const csv = await request.get('/ja/admin/audit.csv', { maxRedirects: 0 });
    expect(csv.status()).toBe(302);
    expect(csv.headers()['location']).toBe(
      `/ja/admin/sign-in?redirectTo=${encodeURIComponent('/ja/admin/audit.csv')}`,
    );
  });
});

test.describe('audit log (en)', () => {
  test.use({ locale: 'en-GB' });

  test('pages 50 at a time, newest first, and filters by outcome', async ({ page, checkPage }) => {
    test.setTimeout(60_000);
    const actorId = `e2e-pager-${randomUUID()}`;
    for (let n = 0; n < 55; n++) {
      await recordAudit(appDatabase().db, {
        actorType: 'system',
        actorId,
        onBehalfOfResidentId: n % 2 ? randomUUID() : null,
        action: 'test.page_with_a_long_action_name',
        targetType: 'insurance_qualification_record',
        targetId: `${randomUUID()}/item-${n}`,
        outcome: n % 5 === 0 ? 'denied' : 'success',
        ip: '2001:db8:85a3:1234:5678:8a2e:370:7334',
      });
    }
    await enrolStaff(page, ['audit:read']);

    await page.goto('/en/admin/audit');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
    await expect(page).toHaveTitle('Audit log | Madoguchi');
    await page.getByLabel('Actor ID').fill(actorId);
    await page.getByRole('button', { name: 'Show results' }).click();
    await expect(page.getByText('Entries on this page: 50')).toBeVisible();
    const rows = page.locator('tbody tr');
    await expect(rows.first()).toContainText('item-54');
    await expect(rows.last()).toContainText('item-5');
    // items 50, 45, … 5 here; item-0 is on the next page.
    await expect(rows.filter({ hasText: 'Denied' })).toHaveCount(10);
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
      'href',
      `/en/admin/audit.csv?actorId=${actorId}`,
    );
    await checkPage({ lang: 'en' });

    const older = page.getByRole('link', { name: 'Older' });
    await expect(older).toHaveAttribute('href', /[?&]before=\d+$/);
    await older.click();
    await expect(page).toHaveURL(/[?&]before=\d+$/);
    await expect(page.getByText('Entries on this page: 5')).toBeVisible();
    await expect(rows.first()).toContainText('item-4');
    await expect(rows.last()).toContainText('item-0');
    await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to the newest entries' }).click();
    await expect(rows.first()).toContainText('item-54');

    await page.getByLabel('Outcome').selectOption('denied');
    await page.getByRole('button', { name: 'Show results' }).click();
    await expect(page.getByText('Entries on this page: 11')).toBeVisible();
    await expect(rows.filter({ hasText: 'Success' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);
  });
});
