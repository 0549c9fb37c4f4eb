import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import { appDatabase, createResident, enrolResident } from './support/app.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import { longTitleEn, seedInbox } from './support/realistic-data.ts';

test.describe('resident notices', () => {
  test.use({ locale: 'ja-JP' });

  test('inbox accessibility tree, keyboard-only reading, first open and language tags', async ({
    page,
    checkPage,
  }) => {
    const resident = await enrolResident(page, '1958-05-05');
    const tag = randomBytes(3).toString('hex');
    const { db } = appDatabase();
    const base = {
      audience: { type: 'list' as const, residentIds: [resident.id] },
      expiresAt: null,
      createdBy: null,
    };
    await publishNotice(db, {
      ...base,
      sender: 'municipality',
      titleJa: `検診のご案内 ${tag}`,
      bodyJa: '**本文**です。',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date('2026-11-01T01:00:00Z'),
    });
    await publishNotice(db, {
      ...base,
      sender: 'digital_agency',
      titleJa: null,
      bodyJa: null,
      titleEn: `English only ${tag}`,
      bodyEn: 'Body in English.',
      publishAt: new Date('2026-11-10T01:00:00Z'),
    });

    await page.goto(`/ja/notices?q=${tag}`);
    await expect(page.locator('.notice-list')).toMatchAriaSnapshot(`
      - list:
        - listitem:
          - text: 未読
          - link "English only ${tag}"
          - text: デジタル庁・
          - time: 2026年11月10日 配信
        - listitem:
          - text: 未読
          - link "検診のご案内 ${tag}"
          - text: お住まいの市区町村・
          - time: 2026年11月1日 配信
    `);
    await expect(
      page.getByRole('link', { name: `English only ${tag}` }).locator('span'),
    ).toHaveAttribute('lang', 'en');
    await checkPage({ lang: 'ja' });

    // Keyboard only: Tab to the notice and open it with Enter; focus lands on its title.
    const target = page.getByRole('link', { name: `検診のご案内 ${tag}` });
    for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await expect(target).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('h1')).toHaveText(`検診のご案内 ${tag}`);
    await expect(page.locator('h1')).toBeFocused();
    await expect(page.locator('.notice-body strong')).toHaveText('本文');
    await expect(page.locator('main')).toContainText('令和8年11月1日（2026年11月1日）');
    await checkPage({ lang: 'ja' });

    // Opened once: marked read, and the unread filter no longer lists it.
    await page.goto(`/ja/notices?q=${tag}`);
    await expect(
      page.getByRole('listitem').filter({ hasText: `検診のご案内 ${tag}` }),
    ).toContainText('既読');
    await page.goto(`/ja/notices?q=${tag}&show=unread`);
    await expect(page.getByRole('link', { name: `検診のご案内 ${tag}` })).toHaveCount(0);

    // An English-only notice inside the Japanese page is tagged as English.
    await page.getByRole('link', { name: `English only ${tag}` }).click();
    await expect(page.locator('h1')).toHaveAttribute('lang', 'en');
    await expect(page.locator('.notice-body')).toHaveAttribute('lang', 'en');
    await checkPage({ lang: 'ja' });
  });

  test('a full inbox reflows at 320px in both languages; the pager is there only with pages', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const resident = await enrolResident(page, '1959-03-03');
    const tag = randomBytes(3).toString('hex');
    await seedInbox(resident.id, tag, 25);

    // Many long titles from every sender: the sender filter and the list fit a phone.
    await page.goto('/en/notices');
    await expect(page.getByRole('link', { name: longTitleEn(`${tag}-23`) })).toBeVisible();
    const pager = page.getByRole('navigation', { name: 'Pages of notices' });
    await expect(pager.getByRole('link', { name: 'Next 20' })).toBeVisible();
    await checkPage({ lang: 'en' });
    await pager.getByRole('link', { name: 'Next 20' }).click();
    await expect(pager.getByRole('link', { name: 'Back to the first page' })).toBeVisible();
    await checkPage({ lang: 'en' });
    await page.goto('/ja/notices');
    await checkPage({ lang: 'ja' });

    // One page only: no pager landmark with nothing in it.
    await page.goto(`/ja/notices?q=${tag}-2`);
    await expect(page.locator('.notice-list > li')).not.toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'お知らせのページ' })).toHaveCount(0);
    await checkPage({ lang: 'ja' });
  });

  test('another resident’s notice is not found', async ({ page }) => {
    const other = await createResident({ birthDate: '1960-06-06' });
    const { db } = appDatabase();
    const secret = await publishNotice(db, {
      audience: { type: 'list', residentIds: [other.id] },
      sender: 'nta',
      titleJa: '他の人あて',
      bodyJa: '見えてはいけない',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    await enrolResident(page, '1961-07-07');
    const response = await page.goto(`/ja/notices/${secret.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('main')).not.toContainText('見えてはいけない');
  });
});
