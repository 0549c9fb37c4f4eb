import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { enrolResident, signInAsNewStaff } from './support/app.ts';
import { seedInbox } from './support/realistic-data.ts';
import { resources } from '../app/i18n/resources.server.ts';

/*
 * A page carries only its own language's translations for its routes' namespaces; moving to
 * a page that needs others (another route, the other language) loads them before the page
 * renders: it never shows a translation key, and hydration stays silent (the fixture fails a
 * test on any console error).
 */

type Tree = { readonly [key: string]: string | Tree };
const keysOf = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v, `${prefix}${k}.`),
  );
// What i18next shows for a key it cannot find: the key itself. Only dotted keys (a bare
// word like "title" could be real text).
const allKeys = [
  ...new Set(Object.values(resources.ja).flatMap((ns) => keysOf(ns as Tree))),
].filter((k) => k.includes('.'));

async function shownKeys(page: Page): Promise<string[]> {
  return page.evaluate((keys) => {
    const known = new Set(keys);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      if (known.has(text) && !node.parentElement?.closest('script')) found.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
      for (const name of ['aria-label', 'title', 'placeholder'])
        if (known.has(el.getAttribute(name) ?? '')) found.push(el.getAttribute(name) ?? '');
    if (known.has(document.title)) found.push(document.title);
    return found;
  }, allKeys);
}

/**
 * Records every key that appears in the page from now on, even for one frame: a page that
 * renders before its bundles arrive and corrects itself later still fails.
 */
async function watchForKeys(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate((keys) => {
    const known = new Set(keys);
    const seen: string[] = [];
    (window as unknown as { keysSeen: string[] }).keysSeen = seen;
    const check = (node: Node) => {
      const texts =
        node.nodeType === Node.TEXT_NODE
          ? [node.textContent ?? '']
          : [...(node as Element).querySelectorAll('*')].map((e) => e.textContent ?? '');
      for (const text of texts) if (known.has(text.trim())) seen.push(text.trim());
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'characterData') check(record.target);
        else record.addedNodes.forEach(check);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, allKeys);
  return () => page.evaluate(() => (window as unknown as { keysSeen: string[] }).keysSeen);
}

/** The translations the document carries: its language and namespaces. */
async function carried(page: Page): Promise<{ lng: string; namespaces: string[] }> {
  const json = await page.locator('#translations').textContent();
  const data = JSON.parse(json ?? '{}') as {
    lng: string;
    bundles: Record<string, Record<string, unknown>>;
  };
  expect(Object.keys(data.bundles), 'languages carried').toEqual([data.lng]);
  return { lng: data.lng, namespaces: Object.keys(data.bundles[data.lng] ?? {}).sort() };
}

const switchTo = (page: Page, lang: 'ja' | 'en') =>
  page
    .getByRole('navigation', {
      name: resources[lang === 'en' ? 'ja' : 'en'].common.languageSwitch.label,
    })
    .getByRole('link', { name: resources.ja.common.languageSwitch[lang] })
    .click();

/** Marks the document, so that a later check tells a client-side navigation from a load. */
const markDocument = (page: Page) =>
  page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

test.describe('translations by route', () => {
  test('a resident moves from home to the inbox and into English without a key shown', async ({
    page,
  }) => {
    const resident = await enrolResident(page, '1971-03-03');
    await seedInbox(resident.id, 'i18n', 2);

    await page.goto('/ja/');
    expect(await carried(page)).toEqual({ lng: 'ja', namespaces: ['common', 'home', 'session'] });
    await page.waitForLoadState('networkidle'); // hydrated: links navigate in the page
    await markDocument(page);
    const keysSeen = await watchForKeys(page);

    const translationChunks: string[] = [];
    page.on('request', (r) => {
      if (/\/build\/_shared\/(notices|common|session)-\w+\.js$/.test(r.url()))
        translationChunks.push(new URL(r.url()).pathname);
    });
    await page
      .getByRole('navigation', { name: resources.ja.common.nav.label })
      .getByRole('link', { name: resources.ja.common.nav.notices, exact: true })
      .click();
    await page.waitForURL(/\/ja\/notices$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      resources.ja.notices.inbox.title,
    );
    expect(await sameDocument(page)).toBe(true);
    expect(await shownKeys(page)).toEqual([]);
    expect(translationChunks).toHaveLength(1); // ja notices, first-party and hashed
    expect(await keysSeen()).toEqual([]);

    await switchTo(page, 'en');
    await page.waitForURL(/\/en\/notices$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      resources.en.notices.inbox.title,
    );
    await expect(page).toHaveTitle(`${resources.en.notices.inbox.title} | Madoguchi`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect(await sameDocument(page)).toBe(true);
    expect(await shownKeys(page)).toEqual([]);
    expect(translationChunks).toHaveLength(4); // and en common, session and notices

    // Back to Japanese, whose bundles this page already holds: nothing more to fetch.
    await page.goBack();
    await page.waitForURL(/\/ja\/notices$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      resources.ja.notices.inbox.title,
    );
    expect(await shownKeys(page)).toEqual([]);
    expect(translationChunks).toHaveLength(4);
    expect(await keysSeen()).toEqual([]);
  });

  test('staff move from the staff home to the notices list, in Japanese and English', async ({
    page,
  }) => {
    await signInAsNewStaff(page, ['notices:write']);
    await page.goto('/ja/admin');
    expect((await carried(page)).namespaces).toEqual(['admin', 'common', 'session']);
    await page.waitForLoadState('networkidle');
    await markDocument(page);
    const keysSeen = await watchForKeys(page);

    const staffMenu = (lang: 'ja' | 'en') =>
      page.getByRole('navigation', { name: resources[lang].admin.nav.label });
    await staffMenu('ja')
      .getByRole('link', { name: resources.ja.admin.nav.notices, exact: true })
      .click();
    await page.waitForURL(/\/ja\/admin\/notices$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      resources.ja.adminNotices.list.title,
    );
    expect(await sameDocument(page)).toBe(true);
    expect(await shownKeys(page)).toEqual([]);

    await switchTo(page, 'en');
    await page.waitForURL(/\/en\/admin\/notices$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      resources.en.adminNotices.list.title,
    );
    await expect(staffMenu('en')).toBeVisible();
    expect(await sameDocument(page)).toBe(true);
    expect(await shownKeys(page)).toEqual([]);
    expect(await keysSeen()).toEqual([]);
  });
});
