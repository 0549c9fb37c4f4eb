import { test, expect } from './fixtures.ts';
import { enrolResident, signInAsNewStaff } from './support/app.ts';
import { seedInbox } from './support/realistic-data.ts';

/*
 * Finding one's way (WCAG 2.4.1 and 2.4.8): the skip link leads past every menu to the page's
 * own content, and each menu says where the reader is.
 */

test.describe('navigation', () => {
  test('the skip link leads past the staff menu to the page content', async ({
    page,
    checkPage,
  }) => {
    await signInAsNewStaff(page, ['audit:read', 'delivery:read']);
    await page.goto('/en/admin/audit');
    const menu = page.getByRole('navigation', { name: 'Staff menu' });
    await expect(menu.getByRole('link', { name: 'Audit log' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    // The menu is not part of the main content the skip link leads to.
    await expect(page.locator('main').getByRole('navigation', { name: 'Staff menu' })).toHaveCount(
      0,
    );

    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    await expect(focused).toHaveCount(1);
    expect(await focused.evaluate((el) => el.closest('main') !== null)).toBe(true);
    await checkPage({ lang: 'en' });
  });

  test('resident menus mark the current page, and the section of a page below it', async ({
    page,
  }) => {
    const resident = await enrolResident(page, '1966-06-16');
    const [noticeId] = await seedInbox(resident.id, 'nav', 1);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    const link = (name: string) => menu.getByRole('link', { name, exact: true });

    await page.goto('/ja/my');
    await expect(link('マイページ')).toHaveAttribute('aria-current', 'page');
    for (const path of ['my/security', 'my/proxies', 'my/app', 'my/notifications']) {
      await page.goto(`/ja/${path}`);
      await expect(link('マイページ'), path).toHaveAttribute('aria-current', 'true');
      await expect(menu.locator('[aria-current]')).toHaveCount(1);
    }
    await page.goto('/ja/notices');
    await expect(link('お知らせ')).toHaveAttribute('aria-current', 'page');
    await page.goto(`/ja/notices/${noticeId}`);
    await expect(link('お知らせ')).toHaveAttribute('aria-current', 'true');
    await expect(link('マイページ')).not.toHaveAttribute('aria-current');
  });
});
