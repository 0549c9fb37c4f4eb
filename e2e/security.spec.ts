import { request as httpRequest } from 'node:http';
import { test, expect } from '@playwright/test';

test.describe('HTTP security', () => {
  test('every page carries a CSP without third-party origins, and the other headers', async ({
    request,
  }) => {
    const response = await request.get('/ja/');
    const headers = response.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    // No origin other than our own is allowed anywhere in the policy.
    expect(csp).not.toMatch(/https?:\/\//);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options']).toBe('DENY');
    // Plain HTTP on localhost: no HSTS (it is only sent over TLS).
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  test('inline scripts carry this response’s nonce and it changes per response', async ({
    request,
  }) => {
    const nonceOf = async () => {
      const response = await request.get('/en/');
      const nonce = /'nonce-([^']+)'/.exec(
        response.headers()['content-security-policy'] ?? '',
      )?.[1];
      const html = await response.text();
      return { nonce, html };
    };
    const a = await nonceOf();
    const b = await nonceOf();
    expect(a.nonce).toBeTruthy();
    expect(a.nonce).not.toBe(b.nonce);
    const scripts = [...a.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      if (/\bsrc=/.test(tag) || /type="module"/.test(tag)) continue;
      expect(tag).toContain(`nonce="${a.nonce}"`);
    }
  });

  test('a page loads no resource from another origin', async ({ page, baseURL }) => {
    const foreign: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== new URL(baseURL ?? '').origin && url.protocol !== 'data:')
        foreign.push(r.url());
    });
    await page.goto('/ja/');
    await page.waitForLoadState('networkidle');
    expect(foreign).toEqual([]);
  });

  test('a form post from another site is refused with a localized 403', async ({ request }) => {
    const response = await request.post('/ja/', {
      headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      form: { anything: '1' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('ほかのサイトからの送信は受け付けていません');
  });

  test('health and readiness answer JSON', async ({ request }) => {
    const health = await request.get('/healthz');
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await request.get('/readyz');
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: { ok: true },
      migrations: { ok: true, pending: [] },
      queue: { ok: true },
    });
  });

  test('a method pages do not take is a localized 405, never a 500 with a stack trace', async ({
    baseURL,
  }) => {
    // TRACE, CONNECT and WebDAV methods cannot be sent with fetch(): a raw request.
    const send = (method: string, path: string) =>
      new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
        const req = httpRequest(`${baseURL}${path}`, { method }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL']) {
      const en = await send(method, '/en/notices');
      expect(en.status, method).toBe(405);
      expect(en.allow).toBe('GET, HEAD, POST');
      expect(en.body).toContain('<html lang="en"');
      expect(en.body).toContain('This page cannot take that request');
      expect(en.body).not.toMatch(/\bat .*\.js:\d+|TypeError|node_modules/);
      const ja = await send(method, '/ja/');
      expect(ja.status, method).toBe(405);
      expect(ja.body).toContain('このページではその操作を受け付けていません');
    }
  });
});
