import { describe, expect, it } from 'vitest';
import { databaseUnavailable, unavailableResponse } from './unavailable.server.ts';
import { maintenanceCause } from '../maintenance/maintenance-page.server.ts';

const window = {
  id: 'w',
  startsAt: new Date('2026-12-05T01:00:00Z'),
  endsAt: new Date('2026-12-05T03:00:00Z'),
  messageJa: '点検のため',
  messageEn: 'For an inspection',
};
const causes = {
  database: databaseUnavailable,
  maintenance: maintenanceCause(window, new Date('2026-12-05T02:00:00Z')),
};

const at = (path: string, init: RequestInit = {}) =>
  new Request(`http://localhost${path}`, { headers: { 'Accept-Language': 'en' }, ...init });

describe('one 503 answer for every cause', () => {
  for (const [name, cause] of Object.entries(causes)) {
    it(`${name}: programs get problem+json on the API, the issuer and .well-known`, async () => {
      for (const path of [
        '/api/v1/notices',
        '/api',
        '/credentials/nonce',
        '/credentials/status/1',
        '/.well-known/openid-credential-issuer',
      ]) {
        const response = unavailableResponse(at(path), cause);
        expect(response.status, path).toBe(503);
        expect(response.headers.get('Content-Type'), path).toMatch(/^application\/problem\+json/);
        expect(Number(response.headers.get('Retry-After')), path).toBeGreaterThan(0);
        const body = (await response.json()) as { status: number; instance: string };
        expect(body, path).toMatchObject({ status: 503, instance: path });
      }
    });

    it(`${name}: people get a page in their language, HEAD without a body`, async () => {
      for (const path of ['/ja/notices', '/en/', '/apiary', '/credentialsx']) {
        const response = unavailableResponse(at(path), cause);
        expect(response.status, path).toBe(503);
        expect(response.headers.get('Content-Type'), path).toMatch(/^text\/html/);
        expect(response.headers.get('Cache-Control')).toBe('no-store');
      }
      const ja = await unavailableResponse(at('/ja/notices'), cause).text();
      expect(ja).toContain('lang="ja"');
      const head = unavailableResponse(at('/en/', { method: 'HEAD' }), cause);
      expect(await head.text()).toBe('');
    });
  }
});
