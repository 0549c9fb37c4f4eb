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
  <p>Open 1 May – 7 May</p>
</main></body></html>`;

const mislabelledJapanesePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ページ</title>
<style>body { color: #111; background: #fff; }</style></head>
<body><main><h1>お知らせ</h1><p>This sentence is English text inside a Japanese page.</p></main></body></html>`;

// What a phone at 320 px shows wrongly with real data: a filter as wide as its longest
// option, a table squeezed until its dates read one digit per line, a table that scrolls
// where no keyboard can reach it, and a pager landmark with no pages in it.
const tableRows = Array.from(
  { length: 5 },
  (_, i) =>
    `<tr><td>2026-12-0${i + 1} 10:15:3${i}</td><td>auth.sign_in</td><td>1234567890${i}</td><td>${'Administrator of the municipal office who signed in from the counter terminal '.repeat(3)}</td></tr>`,
).join('');
const brokenNarrowPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Narrow page</title>
<style>
  body { font-family: sans-serif; margin: 0 8px; color: #111; background: #fff; }
  .filter { display: flex; gap: 1rem; }
  .shredded td { overflow-wrap: anywhere; }
  .wrap { overflow-x: auto; }
  .wrap table { min-width: 40rem; }
</style></head>
<body><main>
  <h1>Notices</h1>
  <form class="filter" aria-label="Filter"><div><label for="s">Sender</label>
    <select id="s"><option>Any sender</option><option>The Japan Pension Service and the Ministry of Health, Labour and Welfare</option></select></div></form>
  <table class="shredded"><caption>Audit log</caption><tbody>${tableRows}</tbody></table>
  <div class="wrap"><table><caption>Deliveries</caption><tbody>${tableRows}</tbody></table></div>
  <nav class="pager" aria-label="Pages"></nav>
</main></body></html>`;

// The same content laid out as it should be: none of the new checks may report it.
const soundNarrowPage = brokenNarrowPage
  .replace(
    '.filter { display: flex; gap: 1rem; }',
    '.filter { display: flex; gap: 1rem; } select { max-width: 100%; } .filter div { min-width: 0; } :focus-visible { outline: 3px solid #000; }',
  )
  .replace('.shredded td { overflow-wrap: anywhere; }', '')
  .replace(
    '<table class="shredded">',
    '<div class="wrap" role="region" tabindex="0" aria-labelledby="c1"><table>',
  )
  .replace('<caption>Audit log</caption><tbody>', '<caption id="c1">Audit log</caption><tbody>')
  .replace(
    `${tableRows}</tbody></table>\n  <div class="wrap">`,
    `${tableRows}</tbody></table></div>\n  <div class="wrap" role="region" tabindex="0" aria-label="Deliveries">`,
  )
  .replace('<nav class="pager" aria-label="Pages"></nav>', '');

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
  expectOne(/^range written with "–": "Open 1 May – 7 May"/);
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

test('the page check reports a page that does not reflow at 320px', async ({ page }) => {
  await page.setContent(brokenNarrowPage);
  const problems = await pageProblems(page, { lang: 'en' });
  const expectOne = (pattern: RegExp) =>
    expect(
      problems.some((p) => pattern.test(p)),
      `${pattern} in\n${problems.join('\n')}`,
    ).toBe(true);
  expectOne(/^horizontal scroll at 320px: .*\(.*select/);
  expectOne(/^at 320px: td "2026-12-01 10:15:30" may break mid-word \(overflow-wrap: anywhere\)/);
  expectOne(/^at 320px: td "2026-12-01 10:15:30" is broken over \d+ lines of \d character/);
  expectOne(
    /^at 320px: div.wrap scrolls sideways without role=region, tabindex=0, an accessible name/,
  );
  expectOne(/^empty navigation landmark "Pages"/);
});

test('the page check accepts a table that scrolls in its own named region', async ({ page }) => {
  await page.setContent(soundNarrowPage);
  expect(await pageProblems(page, { lang: 'en' })).toEqual([]);
});
