import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { useTestDatabase } from '../../test/database.ts';
import { loaderArgs, routeContext, settle, staffWithSession } from '../../test/support/routes.ts';
import { browserErrorsOn, serve } from '../../test/support/maintenance.ts';
import { createLogger } from '../platform/logger.server.ts';
import { loader } from '../routes/$lang.admin.browser-errors.tsx';
import { pathPattern, readReports, scrubText, withoutQuery } from './browser-error.ts';
import { browserErrorEndpoint } from './browser-error-endpoint.server.ts';

/**
 * First-party browser error collection (issue 14): what is kept of a report, and the
 * endpoint's limits on a real express server with a real database.
 */
const database = useTestDatabase();
const db = () => database.connection.db;

describe('what is kept of a report', () => {
  it('drops query strings and fragments, masks addresses and long numbers, shortens', () => {
    expect(withoutQuery('https://madoguchi.example.jp/ja/notices/1?token=abc#x')).toBe(
      'https://madoguchi.example.jp/ja/notices/1',
    );
    expect(withoutQuery('/build/entry.client-X.js?v=2')).toBe('/build/entry.client-X.js');
    expect(withoutQuery('inline')).toBe('inline');
    expect(
      scrubText(
        'failed at https://a.example/p?q=secret#frag for taro@example.jp id 123456789',
        200,
      ),
    ).toBe('failed at https://a.example/p for [email] id [number]');
    expect(scrubText('x'.repeat(1000), 300)).toHaveLength(300);
    expect(pathPattern('/ja/notices/0b7f1c2e-1111-4222-8333-444455556666?x=1')).toBe(
      '/:lang/notices/:id',
    );
  });

  it('reads our reporter, report-uri and Reporting API bodies; a route id must look like one', () => {
    const [ours] = readReports('application/json', {
      kind: 'error',
      message: 'TypeError: x is undefined',
      route: 'routes/$lang.notices.$noticeId',
      source: 'http://localhost/build/a.js?x=1',
      line: 3,
      column: 7,
      stack: 'TypeError: x\n at f (http://localhost/build/a.js?x=1:3:7)',
    });
    expect(ours).toMatchObject({
      kind: 'error',
      route: 'routes/$lang.notices.$noticeId',
      example: { source: 'http://localhost/build/a.js', line: 3, column: 7 },
    });
    expect(ours!.example.stack).not.toContain('?x=1');
    expect(
      readReports('application/json', { kind: 'error', message: 'm', route: '<b>' })[0],
    ).toMatchObject({ route: 'unknown' });
    expect(
      readReports('application/csp-report', {
        'csp-report': {
          'document-uri': 'http://localhost/en/notices?page=2',
          'effective-directive': 'script-src-elem',
          'blocked-uri': 'https://tracker.example/t.js?id=1',
        },
      }),
    ).toEqual([
      expect.objectContaining({
        kind: 'csp',
        route: '/:lang/notices',
        message: 'script-src-elem blocked https://tracker.example/t.js',
      }),
    ]);
    expect(
      readReports('application/reports+json', [
        {
          type: 'csp-violation',
          body: {
            documentURL: 'http://localhost/ja/',
            effectiveDirective: 'img-src',
            blockedURL: 'data',
          },
        },
      ]),
    ).toHaveLength(1);
    expect(readReports('application/json', { kind: 'other', message: 'm' })).toEqual([]);
  });
});

describe('POST /browser-errors', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const app = express();
    app.use(browserErrorEndpoint(db(), createLogger('silent'), { burst: 3, perMinute: 1 }));
    server = await serve(app);
  });
  afterAll(() => server.close());

  const route = `routes/$lang.test-${Date.now()}`;
  const send = (body: string, type = 'application/json', headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/browser-errors`, {
      method: 'POST',
      headers: { 'content-type': type, ...headers },
      body,
    });
  const report = (message: string) =>
    JSON.stringify({
      kind: 'error',
      message,
      route,
      source: `http://localhost/ja/notices?resident=taro#top`,
      stack: `Error: ${message}\n    at http://localhost/build/x.js?q=1:1:2`,
    });

  it('refuses other methods, other content types, cross-site posts and bodies over 8 KB', async () => {
    expect((await fetch(`${server.origin}/browser-errors`)).status).toBe(405);
    expect((await send(report('a'), 'text/plain')).status).toBe(415);
    expect((await send(report('a'), 'application/x-www-form-urlencoded')).status).toBe(415);
    expect(
      (await send(report('a'), 'application/json', { 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    const big = JSON.stringify({ kind: 'error', message: 'm', route, stack: 'x'.repeat(9000) });
    expect((await send(big)).status).toBe(413);
    expect((await send('{not json')).status).toBe(400);
    expect(await browserErrorsOn(db(), route)).toEqual([]);
  });

  it('groups by message per day, keeps no query string, then limits the rate per address', async () => {
    expect((await send(report('Boom'))).status).toBe(204);
    expect((await send(report('Boom'))).status).toBe(204);
    // Refusals before reading the body cost nothing; the unreadable JSON took the first token.
    const limited = await send(report('Boom'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    const rows = await browserErrorsOn(db(), route);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'error', message: 'Boom', count: 2 });
    const stored = JSON.stringify(rows[0]!.examples);
    expect(stored).not.toMatch(/\?|#|resident=|taro/);
    expect(rows[0]!.examples).toHaveLength(2);
  });

  it('shows staff with operations:read the counts per day and the latest examples', async () => {
    const reader = await staffWithSession(db(), ['operations:read']);
    const other = await staffWithSession(db(), ['delivery:read']);
    const path = '/en/admin/browser-errors';
    const refused = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), { path, params: { lang: 'en' }, cookie: other.cookie }),
      ),
    );
    expect((refused as Response).status).toBe(403);
    const page = await loader(
      loaderArgs(routeContext(db()), { path, params: { lang: 'en' }, cookie: reader.cookie }),
    );
    expect(page.days[0]!.error).toBeGreaterThanOrEqual(2);
    expect(page.groups.find((g) => g.route === route)).toMatchObject({
      message: 'Boom',
      count: 2,
      examples: expect.arrayContaining([
        expect.objectContaining({ source: 'http://localhost/ja/notices' }),
      ]),
    });
  });
});
