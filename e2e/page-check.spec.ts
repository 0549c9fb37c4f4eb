import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '@playwright/test';
import { pageProblems } from './page-check.ts';

// The page check must catch what axe misses. These pages break it on purpose; each check
// has to report its failure, or the check itself is broken.
const brokenEnglishPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Broken page</title>
<style>
  body { font-family: sans-serif; margin: 0; color: #111; background: #fff; }
  a:focus { outline: none; }
  .wide { width: 600px; }
  .box { height: 20px; overflow: hidden; font-size: 1rem; line-height: 20px; }
  .cut { width: 150px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
</style></head>
<body><main>
  <h1>A page with deliberate problems</h1>
  <p>Opening hours are listed below.</p>
  <p>お知らせを確認してください</p>
  <p><a href="#a">A link whose focus ring was removed</a></p>
  <div class="wide">A block that is wider than a phone screen</div>
  <div class="box">A box with a fixed height that cannot grow with the text inside it at all</div>
  <p class="cut">A sentence that is cut off with an ellipsis</p>
</main></body></html>`;

const mislabelledJapanesePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ページ</title>
<style>body { color: #111; background: #fff; }</style></head>
<body><main><h1>お知らせ</h1><p>This sentence is English text inside a Japanese page.</p></main></body></html>`;

test('axe alone passes the broken page', async ({ page }) => {
  await page.setContent(brokenEnglishPage);
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test('the page check reports every deliberate problem', async ({ page }) => {
  await page.setContent(brokenEnglishPage);
  const problems = await pageProblems(page, { lang: 'en' });
  const expectOne = (pattern: RegExp) =>
    expect(
      problems.some((p) => pattern.test(p)),
      `${pattern} in\n${problems.join('\n')}`,
    ).toBe(true);
  expectOne(/^Japanese text inside lang="en": "お知らせを確認してください"/);
  expectOne(/^no visible focus indicator on a "A link whose focus ring/);
  expectOne(/^horizontal scroll at 320px/);
  expectOne(/^text clipped at 200%: div "A box with a fixed height/);
  expectOne(/^text clipped at 200%: p \(ellipsis\)/);
});

test('the page check reports a page in the wrong language', async ({ page }) => {
  await page.setContent(mislabelledJapanesePage);
  const problems = await pageProblems(page, { lang: 'ja' });
  expect(problems).toContain('<html lang> is "en", expected "ja"');

  await page.setContent(mislabelledJapanesePage.replace('<html lang="en">', '<html lang="ja">'));
  const fragment = await pageProblems(page, { lang: 'ja' });
  expect(fragment).toEqual([
    'English text inside lang="ja": "This sentence is English text inside a J"',
  ]);
});
