import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import {
  accountOfInvitation,
  addVirtualAuthenticator,
  appDatabase,
  createStaffInvite,
} from './support/app.ts';
import { seedGroups } from './support/realistic-data.ts';
import { permissions } from '../app/identity/permissions.ts';
import { createStaffInvitation } from '../app/identity/staff-invitation.service.server.ts';
import { ADMINISTRATORS_GROUP, upsertGroup } from '../app/identity/staff-groups.service.server.ts';

const ACCEPT_BUTTON = 'パスキーを登録して職員アカウントを作成';

/**
 * An invitation into a fresh group holding every permission. (createStaffInvite names its
 * group after the permissions, which is longer than a group name may be for all of them.)
 */
async function inviteWithAllPermissions(name: string, suffix: string) {
  const { db } = appDatabase();
  const group = await upsertGroup(db, { name: `e2e all ${suffix}`, permissions: [...permissions] });
  const invitation = await createStaffInvitation(db, {
    displayName: name,
    email: `kanri${suffix}@example.jp`,
    groupIds: [group],
    createdBy: null,
  });
  return { ...invitation, name };
}

async function auditActions(actorId: string): Promise<string[]> {
  const rows = await appDatabase()
    .db.selectFrom('auditLog')
    .select(['action', 'outcome'])
    .where('actorId', '=', actorId)
    .where('action', 'like', 'staff.%')
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

async function activeAdministrators(): Promise<number> {
  const rows = await appDatabase()
    .db.selectFrom('staffMembership')
    .innerJoin('staffGroup', 'staffGroup.id', 'staffMembership.groupId')
    .innerJoin('account', 'account.id', 'staffMembership.accountId')
    .select('account.id')
    .where('staffGroup.name', '=', ADMINISTRATORS_GROUP)
    .where('account.disabledAt', 'is', null)
    .execute();
  return rows.length;
}

const staffMenu = (page: Page) => page.getByRole('navigation', { name: '職員用メニュー' });

test.describe('staff and groups', () => {
  test.use({ locale: 'ja-JP' });

  test('invite, enrol, grant a permission live, disable; nobody disables themselves', async ({
    page,
    browser,
    baseURL,
    checkPage,
  }) => {
    test.setTimeout(180_000);
    const suffix = String(randomInt(100_000, 1_000_000));
    // A Latin name: the header shows it, and the English pages must hold no Japanese text.
    const adminName = `Ito Kanri${suffix}`;
    const admin = await inviteWithAllPermissions(adminName, suffix);
    await addVirtualAuthenticator(page);
    await page.goto(`/ja/admin/accept?token=${admin.token}`);
    await page.getByRole('button', { name: ACCEPT_BUTTON }).click();
    await expect(page).toHaveURL(/\/ja\/admin$/);
    const adminId = await accountOfInvitation(admin.id);
    // Groups as a real office has them: many, with long names.
    await seedGroups(suffix);

    // ---- A group that may only read residents ------------------------------------------
    await staffMenu(page).getByRole('link', { name: 'グループと権限' }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/groups$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('グループと権限');
    await expect(page).toHaveTitle('グループと権限 | 窓口');
    await checkPage({ lang: 'ja' });
    // The administrators group always keeps staff:manage.
    const keep = page.getByRole('checkbox', { name: `${ADMINISTRATORS_GROUP}: 職員と権限の管理` });
    await expect(keep).toBeChecked();
    await expect(keep).toBeDisabled();

    await page.getByRole('button', { name: 'グループを追加' }).click();
    await expect(page.getByRole('alert')).toContainText('グループ名を入力してください');
    const groupName = `住民照会係${suffix}`;
    await page.getByLabel('グループ名').fill(groupName);
    await page.getByRole('textbox', { name: '説明' }).fill('住民情報を照会する担当');
    await page.getByRole('button', { name: 'グループを追加' }).click();
    await expect(page.getByRole('status').filter({ hasText: groupName })).toContainText(
      `グループ「${groupName}」を追加しました。`,
    );
    await page.getByRole('checkbox', { name: `${groupName}: 住民情報の閲覧` }).check();
    await page.getByRole('button', { name: `保存: ${groupName}` }).click();
    await expect(page.getByText(`「${groupName}」の権限を保存しました。`)).toBeVisible();
    await expect(
      page.getByRole('checkbox', { name: `${groupName}: 住民情報の閲覧` }),
    ).toBeChecked();
    await expect(
      page.getByRole('checkbox', { name: `${groupName}: 監査ログの閲覧` }),
    ).not.toBeChecked();

    // ---- Invite a staff member into it ---------------------------------------------------
    await staffMenu(page).getByRole('link', { name: '職員', exact: true }).click();
    await expect(page).toHaveURL(/\/ja\/admin\/staff$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('職員の管理');
    await expect(page).toHaveTitle('職員の管理 | 窓口');
    await checkPage({ lang: 'ja' });

    await page.getByRole('button', { name: '招待リンクを作成' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('氏名: 氏名を入力してください');
    await expect(summary).toContainText('メールアドレス: メールアドレスを入力してください');
    await expect(summary).toContainText('所属グループ: 所属グループを 1 つ以上選んでください');
    await expect(page.getByLabel('氏名')).toHaveAccessibleDescription(/氏名を入力してください/);

    const staffName = `森 職員${suffix}`;
    const email = `mori${suffix}@example.jp`;
    await page.getByLabel('氏名').fill(staffName);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByRole('checkbox', { name: groupName }).check();
    await page.getByRole('button', { name: '招待リンクを作成' }).click();
    await expect(
      page.getByRole('heading', { name: `${staffName} さんの招待リンクを作成しました` }),
    ).toBeFocused();
    await expect(page.getByText('このリンクが表示されるのは今回だけです。')).toBeVisible();
    await expect(page.getByText(/^有効期限：\d{4}年/)).toBeVisible();
    const link = await page.getByRole('textbox', { name: '招待リンク' }).inputValue();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/ja\/admin\/accept\?token=[\w-]{20,}$/);
    // The form starts empty again, ready for the next person.
    await expect(page.getByLabel('氏名')).toHaveValue('');
    // Only the hash is stored: the link is never shown again.
    await page.reload();
    await expect(page.getByRole('textbox', { name: '招待リンク' })).toHaveCount(0);
    await expect(page.getByText(link)).toHaveCount(0);

    // ---- The new staff member enrols in their own browser --------------------------------
    const other = await browser.newContext({ locale: 'ja-JP', baseURL });
    const staffPage = await other.newPage();
    await addVirtualAuthenticator(staffPage);
    const url = new URL(link);
    await staffPage.goto(url.pathname + url.search);
    await staffPage.getByRole('button', { name: ACCEPT_BUTTON }).click();
    await expect(staffPage).toHaveURL(/\/ja\/admin$/);
    await expect(staffMenu(staffPage).getByRole('link')).toHaveText([
      '職員トップ',
      '住民の検索・通知書',
    ]);

    // ---- A new permission for the group applies on their next page -----------------------
    await page.goto('/ja/admin/groups');
    await page.getByRole('checkbox', { name: `${groupName}: 監査ログの閲覧` }).check();
    await page.getByRole('button', { name: `保存: ${groupName}` }).click();
    await expect(page.getByText(`「${groupName}」の権限を保存しました。`)).toBeVisible();
    await staffPage.reload();
    await expect(staffMenu(staffPage).getByRole('link')).toHaveText([
      '職員トップ',
      '住民の検索・通知書',
      '監査ログ',
    ]);

    // ---- Memberships: the last administrator stays one -----------------------------------
    await page.goto('/ja/admin/staff');
    const staffRow = page.getByRole('row').filter({ hasText: email });
    await expect(staffRow).toContainText(groupName);
    await expect(staffRow).toContainText('有効');
    const adminRow = page.getByRole('row').filter({ hasText: adminName });
    await expect(adminRow).toContainText('あなた自身は無効にできません');
    await expect(adminRow.getByRole('link', { name: /^無効にする/ })).toHaveCount(0);

    await page.getByRole('link', { name: `グループを変更: ${adminName}` }).click();
    let panel = page.getByRole('region', { name: `${adminName} さんの所属グループ` });
    await expect(panel.getByRole('heading')).toBeFocused();
    await panel.getByRole('checkbox', { name: ADMINISTRATORS_GROUP }).check();
    await panel.getByRole('button', { name: '所属グループを保存' }).click();
    await expect(page.getByText(`${adminName} さんの所属グループを変更しました。`)).toBeVisible();
    await expect(adminRow).toContainText(ADMINISTRATORS_GROUP);
    await page.getByRole('link', { name: `グループを変更: ${adminName}` }).click();
    panel = page.getByRole('region', { name: `${adminName} さんの所属グループ` });
    // The administrators group is shared by the whole e2e database: in a normal run nobody
    // else is an active member, so this person is the last one. (Repeated runs against one
    // server may have added another: then leaving is allowed, which is the rule too.)
    const last = (await activeAdministrators()) === 1;
    await panel.getByRole('checkbox', { name: ADMINISTRATORS_GROUP }).uncheck();
    await panel.getByRole('button', { name: '所属グループを保存' }).click();
    if (last) {
      await expect(page.getByRole('alert')).toContainText(
        `${adminName} さんは管理者グループの最後の有効なメンバーなので、管理者グループから外せません。`,
      );
      await expect(adminRow).toContainText(ADMINISTRATORS_GROUP);
    } else {
      await expect(page.getByText(`${adminName} さんの所属グループを変更しました。`)).toBeVisible();
    }

    // ---- Trying to disable yourself is refused, in the page and at the server ------------
    await page.goto(`/ja/admin/staff?confirm=${adminId}`);
    await expect(page.getByRole('region', { name: /アカウントを無効にしますか/ })).toContainText(
      'あなた自身のアカウントは無効にできません。',
    );
    await expect(page.getByRole('button', { name: 'アカウントを無効にする' })).toHaveCount(0);
    const refused = await page.request.post('/ja/admin/staff?index', {
      form: { intent: 'disable', accountId: adminId },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(409);
    expect(await refused.text()).toContain('あなた自身のアカウントは無効にできません。');

    // ---- Disabling ends their sessions at once -----------------------------------------------
    await page.goto('/ja/admin/staff');
    await page.getByRole('link', { name: `無効にする: ${staffName}` }).click();
    await expect(
      page.getByRole('heading', { name: `${staffName} さんのアカウントを無効にしますか？` }),
    ).toBeFocused();
    await page.getByRole('button', { name: 'アカウントを無効にする' }).click();
    await expect(page.getByRole('status').filter({ hasText: staffName })).toContainText(
      `${staffName} さんのアカウントを無効にしました。`,
    );
    await expect(staffRow).toContainText('無効');
    await expect(staffRow.getByRole('link', { name: /^無効にする/ })).toHaveCount(0);
    await staffPage.reload();
    await expect(staffPage).toHaveURL(/\/ja\/admin\/sign-in\?redirectTo=%2Fja%2Fadmin$/);
    await expect(staffPage.getByRole('heading', { level: 1 })).toHaveText('職員サインイン');
    await other.close();

    expect(await auditActions(adminId)).toEqual([
      'staff.accept_invitation:success',
      'staff.group_create:success',
      'staff.group_permissions:success',
      'staff.invite:success',
      'staff.group_permissions:success',
      'staff.memberships:success',
      last ? 'staff.memberships:denied' : 'staff.memberships:success',
      'staff.disable:denied',
      'staff.disable:success',
    ]);

    // ---- Both pages in English ------------------------------------------------------------
    await page.goto('/en/admin/staff');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Manage staff');
    await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Disabled');
    await checkPage({ lang: 'en' });
    await page.goto('/en/admin/groups');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Groups and permissions');
    await expect(
      page.getByRole('checkbox', { name: `${groupName}: Read the audit log` }),
    ).toBeChecked();
    await checkPage({ lang: 'en' });
  });

  test('staff without staff:manage get a 403 on both pages', async ({ page }) => {
    const invite = await createStaffInvite(['residents:read'], 'Abe Etsuran');
    await addVirtualAuthenticator(page);
    await page.goto(`/en/admin/accept?token=${invite.token}`);
    await page
      .getByRole('button', { name: 'Register a passkey and create the staff account' })
      .click();
    await expect(page).toHaveURL(/\/en\/admin$/);
    for (const path of ['/en/admin/staff', '/en/admin/groups']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
    }
    const post = await page.request.post('/en/admin/groups', {
      form: { intent: 'create', name: 'nope' },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
  });
});
