import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import {
  apiContext,
  apiRequest,
  call,
  createClient,
  createResident,
  linkDevice,
  refresh,
  testSecrets,
} from '../../test/support/app-api.ts';
import * as linkRoute from '../routes/api.v1.link.ts';
import { ppid } from './ppid.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();

const me = (token: string) =>
  call(linkRoute.loader, apiRequest('/api/v1/link', { token }), apiContext(db(), secrets));

/** Every way a token could carry an identifier: its text, and each dot-separated part decoded. */
function readings(token: string): string[] {
  const parts = token.split('.');
  return [
    token,
    ...parts.flatMap((p) => {
      const bytes = Buffer.from(p, 'base64url');
      return [bytes.toString('utf8'), bytes.toString('hex'), bytes.toString('latin1')];
    }),
  ];
}

function longestCommonSubstring(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      let n = 0;
      while (a[i + n] !== undefined && a[i + n] === b[j + n]) n++;
      best = Math.max(best, n);
    }
  return best;
}

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toContain('application/problem+json');
  expect(((await response.json()) as { type: string }).type).toBe(`urn:madoguchi:problem:${type}`);
}

describe('app access tokens (Hardening #4)', () => {
  it('carry nothing that identifies the resident or the link, and two clients’ tokens share nothing', async () => {
    const residentId = await createResident(db());
    const [clientA, clientB] = [await createClient(db(), 'a'), await createClient(db(), 'b')];
    const a = await linkDevice(db(), secrets, clientA, residentId);
    const b = await linkDevice(db(), secrets, clientB, residentId);
    const links = await db()
      .selectFrom('appLink')
      .select(['id', 'clientId'])
      .where('residentId', '=', residentId)
      .execute();
    expect(links).toHaveLength(2);
    const ids = [
      residentId,
      ...links.map((l) => l.id),
      a.subject,
      b.subject,
      ppid(secrets, clientA, residentId),
    ];

    for (const token of [a.access_token, b.access_token]) {
      for (const text of readings(token)) {
        for (const id of ids) {
          expect(text).not.toContain(id);
          expect(text).not.toContain(id.replaceAll('-', ''));
        }
        expect(text).not.toContain(clientA);
        expect(text).not.toContain(clientB);
        expect(text).not.toMatch(/"(r|l|c|exp|sub|aud)"\s*:/);
      }
      // Random: at least 32 bytes of unpredictable data.
      expect(Buffer.from(token.split('.').at(-1)!, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
    // Beyond a fixed scheme prefix, the two tokens have nothing in common.
    expect(longestCommonSubstring(a.access_token, b.access_token)).toBeLessThan(8);

    // Each still works, for its own client only, and speaks with that client's PPID.
    const [meA, meB] = [await me(a.access_token), await me(b.access_token)];
    expect(meA.status).toBe(200);
    expect(meB.status).toBe(200);
    expect(((await meA.json()) as { client_id: string }).client_id).toBe(clientA);
    expect(((await meB.json()) as { subject: string }).subject).toBe(b.subject);
    expect(a.subject).not.toBe(b.subject);
  });

  it('tampered, unknown, forged and expired tokens answer 401 problem+json', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const token = tokens.access_token;
    const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    const forged = `at1.${Buffer.from(JSON.stringify({ l: residentId, exp: 9e9 })).toString('base64url')}.x`;
    for (const bad of [flipped, `${token}x`, token.slice(0, -1), forged, 'at2.' + 'A'.repeat(43)])
      await expectProblem(await me(bad), 401, 'unauthorized');

    await db()
      .updateTable('appRefreshToken')
      .set({ accessExpiresAt: new Date(Date.now() - 1000) })
      .where(
        'linkId',
        'in',
        db().selectFrom('appLink').select('id').where('residentId', '=', residentId),
      )
      .execute();
    await expectProblem(await me(token), 401, 'token-expired');
  });

  it('a refreshed pair works; presenting a used refresh token stops every access token of the family', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const first = await linkDevice(db(), secrets, clientId, residentId);
    const rotated = await refresh(db(), secrets, clientId, first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as typeof first;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.subject).toBe(first.subject);
    expect((await me(first.access_token)).status).toBe(200); // valid until it expires
    expect((await me(second.access_token)).status).toBe(200);

    await expectProblem(
      await refresh(db(), secrets, clientId, first.refresh_token),
      400,
      'invalid-grant',
    );
    for (const token of [first.access_token, second.access_token])
      await expectProblem(await me(token), 401, 'link-ended');
  });
});
