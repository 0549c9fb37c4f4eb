import { test, expect } from './fixtures.ts';
import { addVirtualAuthenticator, appDatabase, enrolResident } from './support/app.ts';
import type { Page } from '@playwright/test';

test.describe('proxies (任意代理人)', () => {
  test.use({ locale: 'ja-JP' });

  test('grant → the proxy enrols and acts → the resident revokes → the proxy loses access', async ({
    page,
    browser,
    checkPage,
  }) => {
    const resident = await enrolResident(page, '1950-03-15');

    await page.goto('/ja/my/proxies');
    await checkPage({ lang: 'ja' });
    // A bad submission keeps what was typed and says what to fix.
    await page.getByLabel('代理人の名前').fill('');
    await page.getByRole('button', { name: '招待リンクを作る' }).click();
    await expect(page.getByRole('alert')).toContainText('代理人の名前を入力してください');

    await page.getByLabel('代理人の名前').fill('山田　次郎');
    await page.getByLabel('お知らせを読む').check();
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('終了日').fill(end);
    await page.getByRole('button', { name: '招待リンクを作る' }).click();
    const link = (await page.getByTestId('proxy-invitation-link').textContent()) ?? '';
    expect(link).toContain('/ja/proxy/accept?token=');
    await expect(page.getByRole('row').filter({ hasText: '山田' })).toContainText('登録待ち');

    // The proxy, on their own device.
    const proxyContext = await browser.newContext({ locale: 'ja-JP' });
    const proxy = await proxyContext.newPage();
    await addVirtualAuthenticator(proxy);
    await proxy.goto(new URL(link).pathname + new URL(link).search);
    await expect(proxy.locator('main')).toContainText('さんが、あなた（山田');
    await proxy.getByRole('button', { name: 'パスキーを登録して代理人になる' }).click();
    await expect(proxy).toHaveURL(/\/ja\/proxy$/);
    await proxy.getByRole('button', { name: /さんの代理で操作する$/ }).click();
    await expect(proxy).toHaveURL(/\/ja\/my$/);
    await expect(proxy.locator('.acting-banner')).toContainText('さんの代理で操作しています');
    await checkPageOn(proxy);

    // Every proxy action is recorded with both identities.
    const { db } = appDatabase();
    const rows = await db
      .selectFrom('auditLog')
      .select(['action', 'actorType', 'onBehalfOfResidentId'])
      .where('onBehalfOfResidentId', '=', resident.id)
      .where('actorType', '=', 'proxy')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['proxy.accept', 'proxy.start_acting', 'proxy.access']),
    );

    // A proxy cannot appoint further proxies.
    const forbidden = await proxy.goto('/ja/my/proxies');
    expect(forbidden?.status()).toBe(403);

    // Switch back, then act again.
    await proxy.goto('/ja/my');
    await proxy.getByRole('button', { name: '代理をやめる' }).click();
    await expect(proxy).toHaveURL(/\/ja\/proxy\?stopped=1$/);
    await proxy.getByRole('button', { name: /さんの代理で操作する$/ }).click();
    await expect(proxy).toHaveURL(/\/ja\/my$/);

    // The resident withdraws the grant.
    await page.goto('/ja/my/proxies');
    await page.getByRole('link', { name: /^取り消す: 山田/ }).click();
    await page.getByRole('button', { name: '取り消す' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'さんへの許可を取り消しました。' }),
    ).toBeVisible();

    // The proxy's very next request no longer reaches the resident's pages.
    await proxy.goto('/ja/my');
    await expect(proxy).toHaveURL(/\/ja\/proxy(\?ended=1)?$/);
    await expect(proxy.getByText('現在、代理で操作できる人はいません。')).toBeVisible();
    await proxyContext.close();
  });

  async function checkPageOn(p: Page) {
    const { pageProblems } = await import('./page-check.ts');
    expect(await pageProblems(p, { lang: 'ja' })).toEqual([]);
  }
});
