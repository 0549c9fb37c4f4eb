import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { createLetter, createResident, enrolResident, signInAsNewStaff } from './support/app.ts';

/**
 * Forms and focus for keyboard and screen-reader users: every form's error summary takes
 * focus once per submission and lists every error at once; each of its links takes the user
 * to the field and leaves them there; required fields say so in their accessible name; every
 * aria-describedby names an element that exists.
 */

/** Every id named by aria-describedby / aria-labelledby / for on the page, that is missing. */
async function missingIdrefs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = [];
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean))
          if (!document.getElementById(id))
            missing.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}=${id}`);
      }
    }
    return missing;
  });
}

/**
 * Submits with `submit`, then: the summary has focus and lists `expected` (one pattern per
 * link, in order); Tab reaches the first link; Enter on each link puts focus on its field
 * and it stays there (after a pause, and after the summary has had every chance to re-render).
 */
async function walkSummary(page: Page, submit: Locator, expected: RegExp[]) {
  await submit.click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  const links = summary.getByRole('link');
  await expect(links).toHaveText(expected);
  expect(await missingIdrefs(page)).toEqual([]);
  await page.keyboard.press('Tab');
  for (let i = 0; i < expected.length; i++) {
    const link = links.nth(i);
    if (i > 0) await link.focus();
    await expect(link).toBeFocused();
    const id = ((await link.getAttribute('href')) ?? '').slice(1);
    await page.keyboard.press('Enter');
    const field = page.locator(`[id="${id}"]`);
    await expect(field).toBeFocused();
    await page.waitForTimeout(400);
    await expect(field, 'focus stays on the field').toBeFocused();
    // The errors are still shown: following a link loses nothing.
    await expect(links).toHaveCount(expected.length);
  }
  // A second submission of the same mistakes takes focus to the summary again.
  await submit.click();
  await expect(summary).toBeFocused();
  await expect(links).toHaveText(expected);
}

test.describe('first access (en)', () => {
  test('an empty submit reports every error at once; names say required (en)', async ({ page }) => {
    await page.goto('/en/first-access');
    await expect(page.getByRole('textbox', { name: 'Letter ID, required' })).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveAccessibleName('Password, required');
    await expect(page.getByRole('group', { name: 'Date of birth, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Continue' }), [
      /^Letter ID: /,
      /^Password: /,
      /^Date of birth: /,
    ]);
    // The month and day say what is wrong through their group.
    expect(await missingIdrefs(page)).toEqual([]);
  });
});

test.describe('first access (ja)', () => {
  test.use({ locale: 'ja-JP' });

  test('the same in Japanese, and a 和暦 year is accepted', async ({ page }) => {
    const resident = await createResident({ birthDate: '1948-05-06' });
    const letter = await createLetter(resident.id);
    await page.goto('/ja/first-access');
    await expect(page.getByRole('textbox', { name: '通知書 ID、必須' })).toBeVisible();
    await expect(page.getByLabel('パスワード')).toHaveAccessibleName('パスワード、必須');
    await walkSummary(page, page.getByRole('button', { name: '次へ' }), [
      /^通知書 ID：?/,
      /^パスワード：?/,
      /^生年月日：?/,
    ]);

    await page.getByLabel('通知書 ID').fill(letter.code);
    await page.getByLabel('パスワード').fill(letter.password);
    await page.getByLabel('年', { exact: true }).fill('昭和23');
    await page.getByLabel('月', { exact: true }).fill('5');
    await page.getByLabel('日', { exact: true }).fill('6');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'パスキーを登録する' })).toBeFocused();
  });
});

test.describe('resident forms', () => {
  test('proxies: every error at once, links reach the fields; the invitation link is announced', async ({
    page,
  }) => {
    await enrolResident(page, '1950-03-15');
    await page.goto('/en/my/proxies');
    await expect(page.getByRole('textbox', { name: 'Proxy’s name, required' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'What they may do, required' })).toBeVisible();
    await page.getByRole('checkbox', { checked: true }).uncheck();
    await walkSummary(page, page.getByRole('button', { name: 'Create an invitation link' }), [
      /^Proxy’s name: /,
      /^What they may do: /,
      /^End date: /,
    ]);
  });
});

test.describe('staff forms', () => {
  test('groups and staff invitations', async ({ page }) => {
    await signInAsNewStaff(page, ['staff:manage']);
    await page.goto('/en/admin/groups');
    await expect(page.getByRole('textbox', { name: 'Group name, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Add the group' }), [/^Group name: /]);

    await page.goto('/en/admin/staff');
    await expect(page.getByRole('textbox', { name: 'Name, required' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Groups, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Create an invitation link' }), [
      /^Name: /,
      /^Email address: /,
      /^Groups: /,
    ]);
  });
});
