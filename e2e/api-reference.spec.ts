import { test, expect } from './fixtures.ts';

/*
 * The human-readable API reference: where a developer looks for it (/api/v1/docs, /api/v1,
 * the OpenAPI document), accessible in both languages, and listing what the document lists.
 */
const cases = [
  { lang: 'ja', locale: 'ja-JP', h1: 'アプリ API リファレンス', authFlow: 'アカウント連携' },
  { lang: 'en', locale: 'en-GB', h1: 'App API reference', authFlow: 'Account link' },
] as const;

for (const c of cases) {
  test.describe(`API reference (${c.lang})`, () => {
    test.use({ locale: c.locale });

    test('/api/v1/docs opens it; it passes the page check and names every operation', async ({
      page,
      request,
      checkPage,
    }) => {
      await page.goto('/api/v1/docs');
      await expect(page).toHaveURL(new RegExp(`/${c.lang}/developers/api$`));
      await expect(page.locator('h1')).toHaveText(c.h1);
      await expect(
        page.getByRole('heading', { level: 2, name: new RegExp(c.authFlow) }),
      ).toBeVisible();
      const doc = (await (await request.get('/api/v1/openapi.json')).json()) as {
        paths: Record<string, Record<string, { operationId?: string }>>;
      };
      for (const methods of Object.values(doc.paths))
        for (const [method, op] of Object.entries(methods)) {
          if (method === 'description') continue;
          await expect(page.locator(`#op-${op.operationId}`)).toBeVisible();
        }
      // A problem type linked from an operation leads to its explanation.
      await page
        .locator('#op-getNotice')
        .locator('..')
        .getByRole('link', { name: /not-found/ })
        .click();
      await expect(page.locator('#problem-not_found')).toContainText(
        'urn:madoguchi:problem:not-found',
      );
      await checkPage({ lang: c.lang });
    });
  });
}
