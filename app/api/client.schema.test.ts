import { describe, expect, it } from 'vitest';
import { ClientSchema, acceptableRedirect } from './client.schema.server.ts';
import { OFF_SITE, SAME_SITE } from '../../test/support/link-attacks.ts';

const register = (redirectUris: string) =>
  ClientSchema.safeParse({ id: 'myna-app', name: 'Myna', redirectUris });

describe('app client redirect URIs', () => {
  it('takes https callbacks and private app schemes, one per line', () => {
    const parsed = register(
      'https://app.example.jp/callback\r\n  jp.example.app:/callback  \ncom.example.app://cb?x=1',
    );
    expect(parsed.success && parsed.data.redirectUris).toEqual([
      'https://app.example.jp/callback',
      'jp.example.app:/callback',
      'com.example.app://cb?x=1',
    ]);
  });

  it.each([
    'https://app.exa\tmple.jp/callback',
    'https://app.example.jp/\tcallback',
    'https://app.example.jp/call\u0000back',
    'https:/\\app.example.jp/callback',
    'https:\\\\app.example.jp/callback',
    'https://app.example.jp\\@evil.example/',
    'https://app.example.jp@evil.example/callback',
    'https://user:pass@app.example.jp/callback',
    'https://app.example.jp/callback#frag',
    'https://app.example.jp/callback#',
    'https://APP.example.jp/callback',
    'https://app.example.jp:443/callback',
    'https://app.example.jp',
    'https://app.example.jp/a/../callback',
    'https://app.example.jp/ü',
    'http://app.example.jp/callback',
    'javascript:alert(1)//',
    'data:text/html,x',
    'file:///etc/passwd',
    'myapp:/callback',
    '//app.example.jp/callback',
    '/callback',
    // (A plain https address of another site is what a web callback is.)
    ...OFF_SITE.filter((uri) => uri !== 'https://evil.example/abs'),
    ...SAME_SITE,
  ])('refuses %j', (uri) => {
    expect(acceptableRedirect(uri)).toBe(false);
  });

  it('refuses the whole list when one line is refused, and a lone CR splits lines', () => {
    expect(register('https://app.example.jp/callback\n\u0001https://evil.example/').success).toBe(
      false,
    );
    const parsed = register('https://app.example.jp/callback\rhttps://app.example.jp/other');
    expect(parsed.success && parsed.data.redirectUris).toEqual([
      'https://app.example.jp/callback',
      'https://app.example.jp/other',
    ]);
  });
});
