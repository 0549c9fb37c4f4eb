import { test, expect } from './fixtures.ts';
import { appDatabase, createResident, enrolResident, signInAsNewStaff } from './support/app.ts';
import { arrowTo, press, tabTo, typeInto } from './support/keyboard.ts';
import { startBoss } from '../jobs/boss.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { issueCredentials } from '../test/support/issued-credentials.ts';

/**
 * Withdrawing mobile credentials (decision 0062): staff revoke with the keyboard only, the
 * resident withdraws a lost phone's card data; both pages pass the page check in ja and en.
 * The credentials come from the real issuance path (request, job's work), not SQL.
 */
async function issue(residentId: string, keys: number) {
  const { connection, secrets } = appDatabase();
  const boss = await startBoss(connection.sql, createLogger('silent'), { supervise: false });
  try {
    return await issueCredentials(connection.db, boss, secrets, residentId, { keys });
  } finally {
    await boss.stop({ graceful: false });
  }
}

test.describe('mobile credentials', () => {
  test('staff find a resident and withdraw one credential, then all, keyboard only', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(120_000);
    const resident = await createResident();
    await issue(resident.id, 2);
    await signInAsNewStaff(page, ['credentials:manage']);

    await page.goto('/en/admin');
    await press(page, page.getByRole('link', { name: 'Mobile credentials', exact: true }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mobile credentials');
    await checkPage({ lang: 'en' });

    await typeInto(
      page,
      page.getByLabel('Name, register code or card manufacture number'),
      resident.name,
    );
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Residents found' })).toBeFocused();
    await press(page, page.getByRole('link', { name: resident.name }));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(resident.name);
    await expect(page.getByRole('cell', { name: 'Active' })).toHaveCount(2);
    await checkPage({ lang: 'en' });

    // One: the confirmation takes focus; without a reason, the error summary does.
    await press(page, page.getByRole('link', { name: /^Withdraw My Number Card/ }).first());
    const confirm = page.getByRole('heading', { name: 'Withdraw this credential?' });
    await expect(confirm).toBeFocused();
    await checkPage({ lang: 'en' });
    await press(page, page.getByRole('button', { name: 'Withdraw' }));
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('Choose a reason');
    await tabTo(page, page.getByLabel('The phone was lost or stolen'));
    await page.keyboard.press('Space');
    await press(page, page.getByRole('button', { name: 'Withdraw' }));
    const done = page.getByRole('status').filter({ hasText: '1 credential was withdrawn.' });
    await expect(done).toBeFocused();
    await expect(page.getByRole('cell', { name: /Withdrawn/ })).toHaveCount(1);
    await checkPage({ lang: 'en' });

    // All that are left, in Japanese, with "other" and its words.
    await page.goto(`/ja/admin/credentials?resident=${resident.id}`);
    await press(page, page.getByRole('link', { name: '有効な証明書をすべて失効' }));
    await expect(
      page.getByRole('heading', { name: '有効な証明書 1 件をすべて失効しますか？' }),
    ).toBeFocused();
    await checkPage({ lang: 'ja' });
    // Tab reaches the group's first radio button; the arrow keys choose within the group.
    await tabTo(page, page.getByLabel('スマートフォンの紛失・盗難'));
    await arrowTo(page, page.getByLabel('その他'), 'ArrowDown');
    await expect(page.getByLabel('その他')).toBeChecked();
    await typeInto(page, page.getByLabel('理由の内容'), '本人から電話で申出');
    await press(page, page.getByRole('button', { name: '失効する' }));
    await expect(
      page.getByRole('status').filter({ hasText: '1 件の証明書を失効しました。' }),
    ).toBeFocused();
    await expect(page.getByRole('cell', { name: /失効/ })).toHaveCount(2);
    await checkPage({ lang: 'ja' });
  });

  test('a resident withdraws the card data of a lost phone', async ({ page, checkPage }) => {
    test.setTimeout(120_000);
    const resident = await enrolResident(page, '1980-04-01');
    await issue(resident.id, 2);

    await page.getByRole('link', { name: 'スマートフォンのカード情報' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('スマートフォンのカード情報');
    await expect(page.getByText('利用中')).toHaveCount(2);
    await checkPage({ lang: 'ja' });

    await page.getByRole('link', { name: '失効する' }).first().click();
    await expect(
      page.getByRole('heading', { name: 'このスマートフォンのカード情報を失効しますか？' }),
    ).toBeFocused();
    await page.getByLabel('スマートフォンをなくした・盗まれた').check();
    await page.getByRole('button', { name: '失効する' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'カード情報を失効しました。' }),
    ).toBeFocused();
    await expect(page.getByText('利用中')).toHaveCount(1);
    await expect(page.getByText('失効済み')).toHaveCount(1);
    await checkPage({ lang: 'ja' });

    await page.goto('/en/my/credentials');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Card data on your phones');
    await expect(page.getByText(/Withdrawn \(My phone was lost or stolen\)/)).toBeVisible();
    await checkPage({ lang: 'en' });
  });
});
