import { test as base, expect } from '@playwright/test';
import { pageProblems, type PageCheckOptions } from './page-check.ts';

type Fixtures = {
  /** Runs the full page check (axe, language, focus, reflow, zoom) and fails on any problem. */
  checkPage: (options: PageCheckOptions) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  page: async ({ page }, use) => {
    // A console error or an uncaught exception on any page fails the test.
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // A 404 or 403 page's own document status is expected when a test asks for one.
      const documentStatus =
        message.text().startsWith('Failed to load resource') &&
        message.location().url === page.url();
      if (!documentStatus) errors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use(page);
    expect(errors, 'browser console errors').toEqual([]);
  },
  checkPage: async ({ page }, use) => {
    await use(async (options) => {
      const problems = await pageProblems(page, options);
      expect(problems, `page check of ${page.url()}`).toEqual([]);
    });
  },
});

export { expect };
