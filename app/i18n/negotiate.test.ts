import { describe, expect, it } from 'vitest';
import { acceptedLanguages, localeFromPath, negotiateLocale } from './negotiate.server.ts';

const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });

describe('negotiateLocale', () => {
  it('prefers the cookie, then Accept-Language, then Japanese', () => {
    expect(negotiateLocale(request({ Cookie: 'a=1; lang=en', 'Accept-Language': 'ja' }))).toBe(
      'en',
    );
    expect(negotiateLocale(request({ 'Accept-Language': 'en-US,en;q=0.9' }))).toBe('en');
    expect(negotiateLocale(request({ 'Accept-Language': 'fr-FR, en;q=0.5, ja;q=0.8' }))).toBe('ja');
    expect(negotiateLocale(request({ 'Accept-Language': 'fr, de' }))).toBe('ja');
    expect(negotiateLocale(request({}))).toBe('ja');
  });

  it('ignores a cookie naming an unknown language', () => {
    expect(negotiateLocale(request({ Cookie: 'lang=fr', 'Accept-Language': 'en' }))).toBe('en');
  });

  it('honours q=0 as "not acceptable"', () => {
    expect(acceptedLanguages('en;q=0, ja')).toEqual(['ja']);
  });
});

describe('localeFromPath', () => {
  it('reads only a whole first segment', () => {
    expect(localeFromPath('/en/notices')).toBe('en');
    expect(localeFromPath('/ja')).toBe('ja');
    expect(localeFromPath('/japan')).toBeUndefined();
    expect(localeFromPath('/')).toBeUndefined();
  });
});
