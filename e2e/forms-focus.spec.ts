import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { randomInt } from 'node:crypto';
import {
  appDatabase,
  createLetter,
  createResident,
  enrolResident,
  signInAsNewStaff,
} from './support/app.ts';
import { createSystemTodo } from '../app/todos/todo.service.server.ts';

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
  // Every error shown beside a field is in the summary: all of them at once.
  await expect(page.locator('.field__error')).toHaveCount(expected.length);
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
    // Typing (and whatever it re-renders) leaves focus there too.
    if (await field.evaluate((el) => el.matches('input[type=text], input[type=email], textarea'))) {
      await page.keyboard.type('a');
      await page.keyboard.press('Backspace');
      await expect(field, 'focus stays while typing').toBeFocused();
    }
    // The errors are still shown: following a link loses nothing.
    await expect(links).toHaveCount(expected.length);
  }
  // A second submission of the same mistakes takes focus to the summary again.
  await submit.click();
  await expect(summary).toBeFocused();
  await expect(links).toHaveText(expected);
}

test.describe('first access (en)', () => {
  test('an empty submit reports every error at once; names say required (en)', async ({
    page,
    checkPage,
  }) => {
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
    await page.getByLabel('Year').fill('X23');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('.error-summary')).toContainText(
      'Enter the year in the Western calendar (for example 1948) or as a Japanese era and year',
    );
    await checkPage({ lang: 'en' });
  });
});

test.describe('first access (ja)', () => {
  test.use({ locale: 'ja-JP' });

  test('the same in Japanese, and a 和暦 year is accepted', async ({ page, checkPage }) => {
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
    // A day after the era ended: the message says when it ended and what came next.
    await page.getByLabel('年', { exact: true }).fill('昭和64');
    await page.getByLabel('月', { exact: true }).fill('1');
    await page.getByLabel('日', { exact: true }).fill('8');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('.error-summary')).toBeFocused();
    await expect(page.locator('.error-summary')).toContainText('1989 年 1 月 8 日からは平成です');
    await expect(page.getByRole('group', { name: '生年月日、必須' })).toHaveAccessibleDescription(
      /昭和は 1926 年 12 月 25 日から/,
    );
    // A year in neither calendar: the message says which are expected.
    await page.getByLabel('年', { exact: true }).fill('X23');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.locator('.error-summary')).toContainText(
      '年は西暦（例：1948）か、元号と年（例：昭和23、S23、平成元）で入力してください',
    );
    await checkPage({ lang: 'ja' });
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
    checkPage,
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
    await checkPage({ lang: 'en' });

    // An error only the server finds (more than a year ahead): the same, and following the
    // link keeps the server's answer on the page.
    await page.getByLabel('Proxy’s name').fill('Yamada Jiro');
    await page.getByRole('checkbox', { name: 'Read notices' }).check();
    const tooLate = new Date(Date.now() + 800 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('End date').fill(tooLate);
    await walkSummary(page, page.getByRole('button', { name: 'Create an invitation link' }), [
      /^End date: Enter a date after today and within one year/,
    ]);

    // The one-time link appears at the top of the page: focus goes to it, not left below.
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('End date').fill(end);
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    const created = page.getByRole('heading', { name: 'Invitation link created' });
    await expect(created).toBeFocused();
    await expect(created).toBeInViewport();
    await expect(page.getByTestId('proxy-invitation-link')).toContainText(
      '/en/proxy/accept?token=',
    );

    // Withdrawing: the question takes focus, then the result does.
    await page.getByRole('link', { name: 'Withdraw: Yamada Jiro' }).click();
    await expect(page.getByRole('heading', { name: /Yamada Jiro/, level: 3 })).toBeFocused();
    await page.getByRole('button', { name: 'Withdraw' }).click();
    const withdrawn = page.getByRole('status').filter({ hasText: 'Permission for' });
    await expect(withdrawn).toBeFocused();
    await expect(withdrawn).toHaveText('Permission for Yamada Jiro was withdrawn.');
  });

  test('to-dos: after confirming, focus is on the announced result', async ({ page }) => {
    const resident = await enrolResident(page, '1961-07-01');
    const todo = await createSystemTodo(appDatabase().db, {
      residentId: resident.id,
      kind: 'survey',
      titleJa: 'アンケートに答える',
      titleEn: 'Answer a survey',
      dueDate: null,
      actionUrl: null,
    });
    await page.goto(`/en/todos?confirm=${todo.id}`);
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await expect(page).toHaveURL(new RegExp(`\\?updated=${todo.id}$`));
    const result = page.getByRole('status').filter({ hasText: 'This to-do' });
    await expect(result).toBeFocused();
    await expect(result).toContainText('This to-do is now marked as done:');
    await page.waitForTimeout(300);
    await expect(result).toBeFocused();
  });

  test('notifications: turning on and off, and stopping a device, keep focus on the result', async ({
    page,
  }) => {
    // The push service is an outside party: stand in for the browser's PushManager.
    await page.addInitScript(() => {
      let current: PushSubscription | null = null;
      const fake = (endpoint: string) =>
        ({
          endpoint,
          toJSON: () => ({
            endpoint,
            keys: {
              p256dh:
                'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
              auth: 'tBHItJI5svbpez7KI4CCXg',
            },
          }),
          unsubscribe: async () => {
            current = null;
            return true;
          },
        }) as unknown as PushSubscription;
      PushManager.prototype.subscribe = async function () {
        current = fake(`https://push.example.net/send/${Math.random().toString(36).slice(2)}`);
        return current;
      };
      PushManager.prototype.getSubscription = async function () {
        return current;
      };
    });
    await page.context().grantPermissions(['notifications']);
    await enrolResident(page, '1966-02-02');
    await page.goto('/en/my/notifications');
    const status = page.getByRole('status').filter({ hasText: 'This browser' });
    await page.getByRole('button', { name: 'Get notifications in this browser' }).click();
    await expect(status).toHaveText('This browser gets notifications.');
    await expect(status).toBeFocused();

    await page.getByRole('button', { name: 'Stop notifications in this browser' }).click();
    await expect(status).toHaveText('This browser does not get notifications.');
    await expect(status).toBeFocused();

    // A device stopped from the list: its button is gone, the result has focus.
    await page.getByRole('button', { name: 'Get notifications in this browser' }).click();
    await expect(status).toHaveText('This browser gets notifications.');
    await page.getByRole('button', { name: /^Stop/ }).last().click();
    const done = page
      .getByRole('status')
      .filter({ hasText: 'Notifications to that device are stopped.' });
    await expect(done).toBeFocused();
  });

  test('notices: “No notices match.” is announced in a live region', async ({ page }) => {
    await enrolResident(page, '1958-08-08');
    await page.goto('/en/notices');
    const region = page.locator('main [role="status"]').first();
    await expect(region).toBeAttached();
    await page.getByLabel('Search in titles').fill(`nothing-${randomInt(1_000_000)}`);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/q=nothing-/);
    // The same element, present before the filter, now holds the answer.
    await expect(region).toHaveText('No notices match.');
  });
});

test.describe('staff forms', () => {
  test('groups and staff invitations', async ({ page }) => {
    const me = await signInAsNewStaff(page, ['staff:manage']);
    await page.goto('/en/admin/groups');
    await expect(page.getByRole('textbox', { name: 'Group name, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Add the group' }), [/^Group name: /]);
    // The answer appears at the top of the page, far above the button: focus goes there.
    const group = `Counter ${randomInt(1_000_000)}`;
    await page.getByLabel('Group name').fill(group);
    await page.getByRole('button', { name: 'Add the group' }).click();
    const added = page.getByRole('status').filter({ hasText: `The group “${group}” was added.` });
    await expect(added).toBeFocused();
    await expect(added).toBeInViewport();

    await page.goto('/en/admin/staff');
    await expect(page.getByRole('textbox', { name: 'Name, required' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Groups, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Create an invitation link' }), [
      /^Name: /,
      /^Email address: /,
      /^Groups: /,
    ]);

    // Saving someone's groups closes the panel (and its button): the answer takes focus.
    await page.getByRole('link', { name: `Change groups: ${me.name}` }).click();
    await page.getByRole('button', { name: 'Save groups' }).click();
    const saved = page
      .getByRole('status')
      .filter({ hasText: `The groups of ${me.name} were changed.` });
    await expect(saved).toBeFocused();
  });

  test('notices, to-dos and app clients', async ({ page }) => {
    await signInAsNewStaff(page, ['notices:write', 'todos:write', 'clients:manage']);
    await page.goto('/en/admin/notices/new');
    await expect(page.getByRole('combobox', { name: 'Sender, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Preview' }), [
      /^Sender: /,
      /^Title in Japanese: /,
      /^Audience: /,
    ]);

    await page.goto('/en/admin/todos/new');
    await expect(page.getByLabel('Due date')).toHaveAccessibleName('Due date, required');
    await walkSummary(page, page.getByRole('button', { name: 'Create the to-do' }), [
      /^Title in Japanese: /,
      /^Due date: /,
      /^Where it is done \(link\): /,
      /^CSV file of resident register codes: /,
    ]);

    await page.goto('/en/admin/clients');
    await expect(page.getByRole('textbox', { name: 'Client ID, required' })).toBeVisible();
    await walkSummary(page, page.getByRole('button', { name: 'Register' }), [
      /^Client ID: /,
      /^Name: /,
      /^Redirect URIs: /,
    ]);
    const client = `focus-app-${randomInt(1_000_000)}`;
    await page.getByLabel('Client ID').fill(client);
    await page.getByRole('textbox', { name: 'Name, required' }).fill('Focus app');
    await page.getByLabel('Redirect URIs').fill('https://app.example.jp/callback');
    await page.getByRole('button', { name: 'Register' }).click();
    const saved = page.getByRole('status').filter({ hasText: `“${client}” was registered.` });
    await expect(saved).toBeFocused();
  });

  test('resident search: focus on the result, its count announced', async ({ page, checkPage }) => {
    const n = String(randomInt(100_000, 1_000_000));
    await createResident({
      name: `試験　集中${n}`,
      nameKana: `シケン　シュウチュウ${n}`,
      birthDate: '1968-02-29',
    });
    await signInAsNewStaff(page, ['residents:read']);
    await page.goto('/en/admin/residents');
    const region = page.locator('main [role="status"]');
    await expect(region).toBeAttached();
    await page.getByLabel('Name, register code or manufacture number').fill(`集中${n}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused();
    await expect(region).toHaveText('Residents found: 1.');
    await checkPage({ lang: 'en' });

    // The date of birth may be typed with its era; a day that does not exist is refused.
    await page.getByLabel('Year').fill('S43');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Day').fill('30');
    await walkSummary(page, page.getByRole('button', { name: 'Search' }), [/^Date of birth/]);
    await page.getByLabel('Day').fill('29');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(region).toHaveText('Residents found: 1.');
    await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused();
    await page.getByLabel('Year').fill('');
    await page.getByLabel('Month').fill('');
    await page.getByLabel('Day').fill('');

    await page.getByLabel('Name, register code or manufacture number').fill(`無い${n}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(region).toHaveText(/^No resident matches/);
    await expect(page.getByRole('heading', { name: 'Results' })).toBeFocused();

    // An empty search: the form is rebuilt, focus goes to what the page asks for.
    await page.getByLabel('Name, register code or manufacture number').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByText(/^Enter a name, register code/)).toBeFocused();
  });
});

test.describe('a submit made while the page hydrates', () => {
  test('still puts focus on the error summary the server answers with', async ({ page }) => {
    test.setTimeout(120_000);
    await signInAsNewStaff(page, ['targets:import']);
    // A slow phone: React hydrates over several frames, and a click in between is replayed to
    // the form before the summary's own submit listener exists (CI caught this at random).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 12 });
    const missed: string[] = [];
    for (const [until, delay] of [0, 20, 40, 80, 120].flatMap((d) =>
      (['domcontentloaded', 'load'] as const).map((u) => [u, d] as const),
    )) {
      await page.goto('/en/admin/targets/import', { waitUntil: until });
      await page.getByLabel('CSV file of the card-pickup list').setInputFiles({
        name: 'binary.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]),
      });
      await page.waitForTimeout(delay);
      await page.getByRole('button', { name: 'Upload and read' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'This is not a CSV (text) file' });
      await expect(summary).toBeVisible();
      await page.waitForLoadState('networkidle');
      if (!(await summary.evaluate((el) => el === document.activeElement)))
        missed.push(`${until}+${delay}`);
    }
    expect(
      missed,
      'clicks this long (ms) after these page events left focus on the page body',
    ).toEqual([]);
  });
});
