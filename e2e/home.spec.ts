import { test, expect } from './fixtures.ts';

const cases = [
  {
    lang: 'ja',
    locale: 'ja-JP',
    h1: 'マイナンバーカードの手続きをひとつの窓口で',
    site: '窓口',
    other: 'English',
  },
  {
    lang: 'en',
    locale: 'en-GB',
    h1: 'Your My Number card procedures, at one counter',
    site: 'Madoguchi',
    other: '日本語',
  },
] as const;

for (const c of cases) {
  test.describe(`home page (${c.lang})`, () => {
    test.use({ locale: c.locale });

    test('passes the page check', async ({ page, checkPage }) => {
      await page.goto(`/${c.lang}/`);
      await expect(page.locator('h1')).toHaveText(c.h1);
      await expect(page).toHaveTitle(`${c.h1} | ${c.site}`);
      await checkPage({ lang: c.lang });
    });

    test('the skip link is the first Tab stop and moves focus to main', async ({ page }) => {
      await page.goto(`/${c.lang}/`);
      await page.keyboard.press('Tab');
      const skip = page.locator('.skip-link');
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.keyboard.press('Enter');
      await expect(page.locator('main#main')).toBeFocused();
      // The next Tab continues inside main, not back at the header.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
    });

    test('has no horizontal scroll at 320px', async ({ page }) => {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`/${c.lang}/`);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    });

    test('marks the current language and offers the other with lang and hreflang', async ({
      page,
    }) => {
      await page.goto(`/${c.lang}/`);
      const nav = page.getByRole('navigation', { name: c.lang === 'ja' ? '言語' : 'Language' });
      await expect(nav.locator('a[aria-current="true"]')).toHaveAttribute('lang', c.lang);
      const other = nav.getByRole('link', { name: c.other });
      await expect(other).toHaveAttribute('hreflang', c.lang === 'ja' ? 'en' : 'ja');
      await expect(other).toHaveAttribute('lang', c.lang === 'ja' ? 'en' : 'ja');
    });
  });
}

test.describe('language switch', () => {
  test.use({ locale: 'ja-JP' });

  test('keeps the page, moves focus to the new h1 and announces it', async ({ page }) => {
    await page.goto('/ja/');
    await page.evaluate(() => document.documentElement.setAttribute('data-loaded', '1'));
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/en\/$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const h1 = page.locator('h1');
    await expect(h1).toHaveText('Your My Number card procedures, at one counter');
    await expect(h1).toBeFocused();
    await expect(page.getByTestId('route-announcer')).toContainText(
      'Your My Number card procedures',
    );
    // A client-side navigation: the document was not reloaded.
    await expect(page.locator('html')).toHaveAttribute('data-loaded', '1');
  });

  test('remembers the choice for the bare address', async ({ page }) => {
    await page.goto('/en/');
    await page.goto('/');
    await expect(page).toHaveURL(/\/en\/$/);
  });

  test('a page not found is localized and keeps the language', async ({ page, checkPage }) => {
    const response = await page.goto('/en/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1')).toHaveText('Page not found');
    await expect(page).toHaveTitle('Page not found | Madoguchi');
    await checkPage({ lang: 'en' });
  });
});

test.describe('without a language in the address', () => {
  test('"/" follows Accept-Language', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL(/\/en\/$/);
    await context.close();
  });

  test('"/" falls back to Japanese', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL(/\/ja\/$/);
    await context.close();
  });

  test('a path without a language is sent to the same path in the reader’s language', async ({
    browser,
  }) => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const response = await page.goto('/no-such-page');
    expect(page.url()).toMatch(/\/ja\/no-such-page$/);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1')).toHaveText('ページが見つかりません');
    await context.close();
  });
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false, locale: 'ja-JP' });

  test('the home page renders completely and its links work', async ({ page }) => {
    await page.goto('/ja/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.locator('h1')).toHaveText('マイナンバーカードの手続きをひとつの窓口で');
    await expect(page.getByRole('heading', { level: 2 })).toHaveCount(2);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/en\/$/);
    await expect(page.locator('h1')).toHaveText('Your My Number card procedures, at one counter');
  });
});
