import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * The accessibility check every page test runs. axe alone misses most of what goes wrong for
 * real readers, so this also looks at reflow, zoomed text, language and focus.
 * It returns problems (one string each) rather than throwing, so its own test can prove that
 * each check catches what it is meant to.
 */
export type PageCheckOptions = {
  /** The language the page claims to be in. */
  lang: 'ja' | 'en';
  /** axe rule ids to skip, with a reason in the calling test. Use sparingly. */
  disableRules?: string[];
  /** Tab through at most this many stops when checking focus visibility. */
  maxTabStops?: number;
};

export async function pageProblems(page: Page, options: PageCheckOptions): Promise<string[]> {
  const problems: string[] = [];
  const originalViewport = page.viewportSize() ?? { width: 1280, height: 720 };

  // 1. axe, WCAG 2.0/2.1 A and AA.
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .disableRules(options.disableRules ?? [])
    .analyze();
  for (const v of axe.violations) {
    problems.push(
      `axe ${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')})`,
    );
  }

  // 2. Language of the page and of fragments in the other language; ranges speech skips.
  problems.push(...(await languageProblems(page, options.lang)));
  problems.push(...(await rangeProblems(page)));

  // 3. Every focus stop shows a visible focus indicator.
  problems.push(...(await focusProblems(page, options.maxTabStops ?? 40)));

  // 4. Landmarks that hold nothing (an empty pager <nav> is announced and leads nowhere).
  problems.push(...(await emptyLandmarks(page)));

  // 5. Reflow: no horizontal scrolling at 320 CSS px (WCAG 1.4.10). A data table may scroll
  // inside its own region, which keyboard users must be able to reach and screen-reader users
  // must hear named; text must not be shredded to fit (a date one digit per line).
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await horizontalOverflow(page);
  if (overflow) problems.push(`horizontal scroll at 320px: ${overflow}`);
  problems.push(...(await reflowProblems(page)).map((p) => `at 320px: ${p}`));

  // 6. Text at 200%: the browser's default font size doubled, nothing clipped (WCAG 1.4.4).
  await page.setViewportSize(originalViewport);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  await page.waitForTimeout(50);
  problems.push(...(await clippedText(page)).map((c) => `text clipped at 200%: ${c}`));
  const zoomOverflow = await horizontalOverflow(page);
  if (zoomOverflow) problems.push(`horizontal scroll at 200% text: ${zoomOverflow}`);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
  // (no detach: detaching a CDP session tears down WebAuthn virtual authenticators on the page)

  // Tabbing past the last stop leaves the document; give focus back so the test can go on.
  await page.bringToFront();
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.focus();
  });

  return problems;
}

async function horizontalOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth + 1) return null;
    const culprits = [...document.body.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 3)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}`,
      );
    return `${doc.scrollWidth}px wide in a ${doc.clientWidth}px viewport (${culprits.join(', ')})`;
  });
}

async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const hasText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim(),
      );
      if (!hasText && el.children.length === 0) continue;
      const clipsX =
        ['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const clipsY =
        ['hidden', 'clip'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      // Visually hidden text (1px boxes for screen readers) is meant to be clipped.
      const srOnly = el.clientWidth <= 1 && el.clientHeight <= 1;
      if ((clipsX || clipsY) && !srOnly)
        found.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}"`);
      if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
        found.push(`${el.tagName.toLowerCase()} (ellipsis)`);
    }
    return found;
  });
}

async function languageProblems(page: Page, lang: 'ja' | 'en'): Promise<string[]> {
  return page.evaluate((expected) => {
    const problems: string[] = [];
    const htmlLang = document.documentElement.getAttribute('lang');
    if (htmlLang !== expected)
      problems.push(`<html lang> is "${htmlLang}", expected "${expected}"`);
    const japanese = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
    const englishPhrase = /[A-Za-z]{2,}(?:[\s,.'’-]+[A-Za-z]{2,}){2,}/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style, [hidden], [aria-hidden="true"]'))
        continue;
      const langOf = (parent.closest('[lang]')?.getAttribute('lang') ?? '').split('-')[0];
      if (langOf === 'en' && japanese.test(text))
        problems.push(`Japanese text inside lang="en": "${text.slice(0, 40)}"`);
      if (langOf === 'ja' && !japanese.test(text) && englishPhrase.test(text))
        problems.push(`English text inside lang="ja": "${text.slice(0, 40)}"`);
    }
    return problems;
  }, lang);
}

async function focusProblems(page: Page, maxStops: number): Promise<string[]> {
  const problems: string[] = [];
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const seen = new Set<string>();
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
      const rect = el.getBoundingClientRect();
      const key = el.outerHTML.slice(0, 120) + `@${Math.round(rect.top)},${Math.round(rect.left)}`;
      return {
        key,
        visible: outline || shadow,
        label: `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`,
        size: rect.width > 0 && rect.height > 0,
      };
    });
    if (!info || seen.has(info.key)) break;
    seen.add(info.key);
    if (!info.visible) problems.push(`no visible focus indicator on ${info.label}`);
    if (!info.size) problems.push(`focus on an invisible element: ${info.label}`);
  }
  return problems;
}

async function emptyLandmarks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('nav, [role="navigation"], [role="region"]')]
      .filter((el) => !el.closest('[hidden], [aria-hidden="true"]'))
      .filter(
        (el) =>
          !el.innerText.trim() &&
          !el.querySelector('a[href], button, input, select, textarea, img[alt]:not([alt=""])'),
      )
      .map(
        (el) =>
          `empty ${el.getAttribute('role') ?? 'navigation'} landmark "${el.getAttribute('aria-label') ?? ''}"`,
      ),
  );
}

async function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    // One report per table and kind is enough to find it.
    const reported = new Set<Element>();
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}`;
    const accessibleName = (el: Element) =>
      (
        el.getAttribute('aria-label') ??
        (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
          .join(' ')
      ).trim();

    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      // A part that scrolls sideways on its own: reachable by keyboard, named, a region.
      if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        const missing = [
          el.getAttribute('role') === 'region' ? null : 'role=region',
          el.getAttribute('tabindex') === '0' ? null : 'tabindex=0',
          accessibleName(el) ? null : 'an accessible name',
        ].filter(Boolean);
        if (missing.length)
          problems.push(`${name(el)} scrolls sideways without ${missing.join(', ')}`);
      }
      if (el.tagName !== 'TD' && el.tagName !== 'TH') continue;
      const text = (el.innerText ?? '').trim();
      const table = el.closest('table');
      if (!text || !table || reported.has(table)) continue;
      // Table cells may not break words or numbers anywhere to save width.
      if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') {
        reported.add(table);
        problems.push(
          `${name(el)} "${text.slice(0, 20)}" may break mid-word (${style.overflowWrap === 'anywhere' ? 'overflow-wrap: anywhere' : 'word-break: break-all'})`,
        );
      }
      // A cell whose text runs one or two characters a line has been shredded to fit.
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      ).size;
      const characters = [...text.replace(/\s/g, '')].length;
      if (lines >= 3 && characters / lines < 3) {
        reported.add(table);
        problems.push(
          `${name(el)} "${text.slice(0, 20)}" is broken over ${lines} lines of ${Math.max(1, Math.round(characters / lines))} character(s)`,
        );
      }
    }
    return problems;
  });
}

/**
 * "1 May – 7 May" or "3–64": screen readers often skip the dash ("1 May 7 May"). A range is
 * written 〜 in Japanese and "to" in English (dates.ts rangeText).
 */
async function rangeProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const range = /[0-9０-９A-Za-z日年月)）]\s*[–～]\s*[0-9０-９]/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, code, [hidden], [aria-hidden="true"]'))
        continue;
      const found = text.match(range);
      if (found)
        problems.push(
          `range written with "${found[0].replace(/[^–～]/g, '')}": "${text.trim().slice(0, 40)}"`,
        );
    }
    return problems;
  });
}
