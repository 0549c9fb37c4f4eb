import { randomInt } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { signInAsNewStaff } from './support/app.ts';

/** Tab (never a click) until the control has focus. */
async function tabTo(page: Page, target: Locator, maxStops = 80) {
  for (let i = 0; i < maxStops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

async function press(page: Page, target: Locator) {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

/** Replaces the focused textarea's text by typing (Enter makes the line breaks). */
async function typeText(page: Page, textarea: Locator, text: string) {
  await tabTo(page, textarea);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

const words = {
  ja: {
    body: /^本文/,
    preview: 'プレビュー',
    publish: '公開',
    previewHeading: 'プレビュー（まだ公開されていません）',
    published: /^第\d+版を公開しました。$/,
    page: 'ご利用の手引き',
  },
  en: {
    body: /^Text/,
    preview: 'Preview',
    publish: 'Publish',
    previewHeading: 'Preview (not published yet)',
    published: /^Version \d+ is published\.$/,
    page: 'How to book',
  },
} as const;

/** On the edit page: type, preview (checked), publish; then the residents' page shows it. */
async function previewAndPublish(page: Page, lang: 'ja' | 'en', heading: string, line: string) {
  const w = words[lang];
  await page.waitForLoadState('networkidle');
  await typeText(page, page.getByRole('textbox', { name: w.body }), `## ${heading}\n\n${line}`);
  await press(page, page.getByRole('button', { name: w.preview, exact: true }));
  const preview = page.getByRole('region', { name: w.previewHeading });
  await expect(page.getByRole('heading', { name: w.previewHeading })).toBeFocused();
  await expect(preview.getByRole('heading', { level: 3 })).toHaveText(heading);
  await expect(preview.locator('strong')).toHaveText(lang === 'ja' ? '通知書' : 'letter');

  // Previewed, not published: the residents' page does not have it yet.
  const resident = await page.context().newPage();
  await resident.goto(`/${lang}/reservations/guide`);
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText(w.page);
  await expect(resident.getByText(heading)).toHaveCount(0);
  await resident.close();

  await press(page, page.getByRole('button', { name: w.publish, exact: true }));
  await expect(page.getByRole('status').filter({ hasText: w.published })).toBeFocused();
  await expect(page.getByRole('cell', { name: /Sato|職員/ }).first()).toBeVisible();

  await page.goto(`/${lang}/reservations/guide`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.page);
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
}

test.describe('booking site texts', () => {
  test.use({ locale: 'ja-JP' });

  test('staff edit, preview and publish the guide in ja and en, keyboard only; residents read it', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(180_000);
    const tag = String(randomInt(100_000, 1_000_000));
    await signInAsNewStaff(page, ['reservations:content']);

    await page.waitForLoadState('networkidle');
    await press(page, page.getByRole('link', { name: '予約サイトの掲載内容' }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('予約サイトの掲載内容');
    await checkPage({ lang: 'ja' });
    await press(page, page.getByRole('link', { name: 'ご利用の手引き（日本語）を編集' }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'ご利用の手引き（日本語）の編集',
    );

    // An empty text is refused next to the field and in the summary.
    await page.waitForLoadState('networkidle');
    await typeText(page, page.getByRole('textbox', { name: /^本文/ }), '');
    await press(page, page.getByRole('button', { name: 'プレビュー', exact: true }));
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('本文を入力してください');
    await checkPage({ lang: 'ja' });

    await previewAndPublish(page, 'ja', `持ち物 ${tag}`, '**通知書**をお持ちください。');
    await expect(page.getByText('通知書をお持ちください。')).toBeVisible();
    await checkPage({ lang: 'ja' });

    // English: the same steps on the English pages.
    await page.goto('/en/admin/reservations/content/guide/en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit How to book (English)');
    await previewAndPublish(page, 'en', `What to bring ${tag}`, 'Bring your **letter**.');
    await checkPage({ lang: 'en' });

    // The sign-in page's notice; the history shows each version's text.
    const notice = `Counters close early on ${tag}.`;
    await page.goto('/en/admin/reservations/content/notice/en');
    await page.waitForLoadState('networkidle');
    await typeText(page, page.getByRole('textbox', { name: /^Text/ }), notice);
    await press(page, page.getByRole('button', { name: 'Publish', exact: true }));
    await expect(page.getByRole('status').filter({ hasText: words.en.published })).toBeFocused();
    const history = page.getByRole('table', { name: 'Who saved and published each version' });
    await press(page, history.getByText(/^Show the text of version/).first());
    await expect(history.getByText(notice)).toBeVisible();
    await checkPage({ lang: 'en' });

    // The sign-in page shows the notice and links to the booking site's pages.
    await page.goto('/en/reservations');
    await page.waitForLoadState('networkidle');
    await expect(page.getByRole('region', { name: 'Notice' })).toContainText(notice);
    await checkPage({ lang: 'en' });
    const links = page.getByRole('navigation', { name: 'About the booking site' });
    await press(page, links.getByRole('link', { name: 'How to book' }));
    await page.waitForURL(/\/en\/reservations\/guide$/);
    await expect(
      page.getByRole('heading', { level: 2, name: `What to bring ${tag}` }),
    ).toBeVisible();
  });
});
