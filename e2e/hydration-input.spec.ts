/**
 * A person who presses a key or clicks while the page is still hydrating (a slow phone, a
 * screen-reader user who tabs at once) must not break the page. React hydrates synchronously
 * to replay such an event; a root that suspends then with no boundary above it is given up
 * (React error #345), and CI caught exactly that on the skip link. The page errors this
 * would raise fail the test through the fixture as well as through the list below.
 */
import { test, expect } from './fixtures.ts';

test.describe('input while the page hydrates', () => {
  test('Tab and Enter at any moment of hydration keep the page working', async ({ page }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 12 });
    for (const [until, delay] of [0, 10, 30, 60, 100, 150].flatMap((d) =>
      (['commit', 'domcontentloaded', 'load'] as const).map((u) => [u, d] as const),
    )) {
      await page.goto('/ja/', { waitUntil: until });
      await page.waitForTimeout(delay);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      // Hydrated: Remix's router is made once the page's data is decoded, and never if the
      // root was given up.
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter
                ?.state.initialized ?? false,
          ),
        )
        .toBe(true);
      expect(errors, `after a key press ${delay} ms past '${until}'`).toEqual([]);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.goto('/ja/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
  });
});
