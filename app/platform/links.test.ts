import { describe, expect, it } from 'vitest';
import { externalUrl, returnPath, sameOriginPath } from './links.ts';
import { OFF_SITE, SAME_SITE } from '../../test/support/link-attacks.ts';

/** Where a browser on `origin` goes when a page sends it to `value` (WHATWG URL, as browsers parse). */
function whereBrowserGoes(value: string, origin = 'https://madoguchi.example.jp') {
  try {
    return new URL(value, `${origin}/ja/sign-in`);
  } catch {
    return null;
  }
}

describe('sameOriginPath', () => {
  it('keeps paths on our own origin, in the form the browser follows', () => {
    expect(sameOriginPath('/en/my')).toBe('/en/my');
    expect(sameOriginPath('/ja/admin/audit?action=auth.#top')).toBe(
      '/ja/admin/audit?action=auth.#top',
    );
    expect(sameOriginPath('/ja/notices?q=お知らせ')).toBe(
      '/ja/notices?q=%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B',
    );
    expect(sameOriginPath('/ja/a/../my')).toBe('/ja/my');
    // Percent-encoded slashes stay encoded: the browser asks our server for that path.
    expect(sameOriginPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
  });

  it.each(OFF_SITE)('refuses %j, which leaves the origin or is no path', (value) => {
    expect(sameOriginPath(value)).toBeNull();
  });

  it.each(SAME_SITE)('answers %j with a path a browser keeps on our origin', (value) => {
    const path = sameOriginPath(value);
    if (path === null) return;
    const there = whereBrowserGoes(path);
    expect(there?.origin).toBe('https://madoguchi.example.jp');
    // Safe in a Location header: no control characters, no spaces, ASCII only.
    expect(path).toMatch(/^\/[\x21-\x7e]*$/);
    expect(path.startsWith('//')).toBe(false);
  });

  it('never answers a value a browser would follow off-site', () => {
    for (const value of [...OFF_SITE, ...SAME_SITE]) {
      const path = sameOriginPath(value);
      if (path === null) continue;
      expect(whereBrowserGoes(value)?.origin, JSON.stringify(value)).toBe(
        'https://madoguchi.example.jp',
      );
    }
  });

  it('refuses non-strings and very long values', () => {
    expect(sameOriginPath(null)).toBeNull();
    expect(sameOriginPath(undefined)).toBeNull();
    expect(sameOriginPath(['/en/my'])).toBeNull();
    expect(sameOriginPath(`/${'a'.repeat(3000)}`)).toBeNull();
  });
});

describe('returnPath', () => {
  it('falls back when the value is no path of ours, and the fallback passes the same rule', () => {
    expect(returnPath('/en/notices', '/en/my')).toBe('/en/notices');
    expect(returnPath('/\t/evil.example/rt', '/en/my')).toBe('/en/my');
    expect(returnPath(null, '/ja/admin')).toBe('/ja/admin');
    // A fallback made from a decoded route parameter: /%2F%2Fevil.example/sign-in.
    expect(returnPath('//evil.example', '///evil.example/my')).toBe('/');
  });
});

describe('externalUrl', () => {
  it('takes absolute https addresses of other sites as the browser reads them', () => {
    expect(externalUrl('https://www.city.miura.kanagawa.jp/a?b=1')?.href).toBe(
      'https://www.city.miura.kanagawa.jp/a?b=1',
    );
    expect(externalUrl('http://example.jp/')).toBeNull();
    expect(externalUrl('http://example.jp/', ['https:', 'http:'])?.host).toBe('example.jp');
  });

  it('refuses other schemes, relative paths and addresses that hide their host', () => {
    for (const value of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      '\u0001javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.jp/',
      '//evil.example/x',
      '/\\evil.example/x',
      '/en/my',
      'https:evil.example',
      'https:/\\evil.example',
      'https://www.city.example.jp@evil.example/',
      'https://user:pass@evil.example/',
      'https://',
      `https://example.jp/${'a'.repeat(3000)}`,
    ])
      expect(externalUrl(value, ['https:', 'http:']), JSON.stringify(value)).toBeNull();
  });
});
