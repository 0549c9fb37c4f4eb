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
      // A 404 or 403 page's own document status is expected when a test asks for one, and so
      // is a form's validation answer (400/409/429 from a route's .data request).
      const text = message.text();
      const where = message.location().url;
      const documentStatus = text.startsWith('Failed to load resource') && where === page.url();
      const validationAnswer = /status of (400|409|429) /.test(text) && where.includes('.data');
      if (!documentStatus && !validationAnswer) errors.push(`${text} (${where})`);
    });
    page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
    // What a page reports to our error collection (its errors, CSP violations) is a failure
    // too, even when the page hid it from the console (a caught eval refused by the CSP).
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/browser-errors')
        errors.push(`reported to /browser-errors: ${request.postData()?.slice(0, 600)}`);
    });
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
