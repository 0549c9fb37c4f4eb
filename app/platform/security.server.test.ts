import { describe, expect, it } from 'vitest';
import { isCrossOriginRequest } from './security.server.ts';

const headers = (h: Record<string, string>) => new Headers(h);
const own = ['http://localhost:3000'];

describe('isCrossOriginRequest', () => {
  it('lets safe methods through whatever their origin', () => {
    expect(
      isCrossOriginRequest(
        'GET',
        headers({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }),
        own,
      ),
    ).toBe(false);
  });

  it('accepts same-origin form posts', () => {
    expect(
      isCrossOriginRequest(
        'POST',
        headers({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' }),
        own,
      ),
    ).toBe(false);
    expect(isCrossOriginRequest('POST', headers({ origin: 'http://localhost:3000' }), own)).toBe(
      false,
    );
  });

  it('refuses posts from another site', () => {
    expect(
      isCrossOriginRequest(
        'POST',
        headers({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }),
        own,
      ),
    ).toBe(true);
    expect(isCrossOriginRequest('POST', headers({ origin: 'https://evil.example' }), own)).toBe(
      true,
    );
    expect(
      isCrossOriginRequest(
        'DELETE',
        headers({ 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost:3000' }),
        own,
      ),
    ).toBe(true);
    expect(isCrossOriginRequest('POST', headers({ 'sec-fetch-site': 'cross-site' }), own)).toBe(
      true,
    );
    expect(isCrossOriginRequest('POST', headers({ origin: 'null' }), own)).toBe(true);
  });

  it('lets non-browser clients (no Origin, no Sec-Fetch-Site) through: they carry no victim cookies', () => {
    expect(isCrossOriginRequest('POST', headers({}), own)).toBe(false);
  });
});
