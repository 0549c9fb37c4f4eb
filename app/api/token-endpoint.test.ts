import { createECDH, randomBytes } from 'node:crypto';
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
import * as tokenRoute from '../routes/api.v1.token.ts';
import * as registrationsRoute from '../routes/api.v1.push-registrations.ts';
import { WebPushSubscription } from '../push/subscription.schema.server.ts';
import { openApiDocument } from './openapi.server.ts';
import { TOKEN_THROTTLE } from './token-throttle.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const secrets = testSecrets();

type Problem = { type: string; status: number; errors?: { field: string }[] };
const problemOf = async (response: Response) => {
  expect(response.headers.get('Content-Type')).toContain('application/problem+json');
  return (await response.json()) as Problem;
};

describe('POST /api/v1/token is rate limited (Hardening #10)', () => {
  it('80 bad refresh attempts from one address: after the budget, 429 problem+json with Retry-After, for that address and client only', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const other = await createClient(db(), 'other');
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const attacker = '198.51.100.7';

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 80; i++) {
      const response = await refresh(
        db(),
        secrets,
        clientId,
        `rt1.${randomBytes(32).toString('base64url')}`,
        attacker,
      );
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get('Retry-After');
        expect((await problemOf(response)).type).toBe('urn:madoguchi:problem:rate-limited');
      }
    }
    expect(statuses.slice(0, TOKEN_THROTTLE.maxFailures)).toEqual(
      Array(TOKEN_THROTTLE.maxFailures).fill(400),
    );
    expect(statuses.slice(TOKEN_THROTTLE.maxFailures)).toEqual(
      Array(80 - TOKEN_THROTTLE.maxFailures).fill(429),
    );
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(TOKEN_THROTTLE.lockMinutes * 60);

    // Locked: even a good refresh token from that address is not tried (nor used up).
    expect((await refresh(db(), secrets, clientId, tokens.refresh_token, attacker)).status).toBe(
      429,
    );
    // Another client from the same address (a shared carrier address) is not affected.
    expect((await refresh(db(), secrets, other, `rt1.${'x'.repeat(43)}`, attacker)).status).toBe(
      400,
    );
    // The resident's own device elsewhere refreshes normally.
    expect(
      (await refresh(db(), secrets, clientId, tokens.refresh_token, '203.0.113.5')).status,
    ).toBe(200);
  });

  it('good refreshes never count against the budget', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    let { refresh_token: token } = await linkDevice(db(), secrets, clientId, residentId);
    for (let i = 0; i < TOKEN_THROTTLE.maxFailures + 5; i++) {
      const response = await refresh(db(), secrets, clientId, token, '198.51.100.8');
      expect(response.status).toBe(200);
      token = ((await response.json()) as { refresh_token: string }).refresh_token;
    }
  });

  it('the OpenAPI document lists 429 with Retry-After for /token', () => {
    const doc = openApiDocument('http://localhost') as unknown as {
      paths: Record<string, { post: { responses: Record<string, { headers?: object }> } }>;
    };
    const responses = doc.paths['/api/v1/token']!.post.responses;
    expect(responses['429']?.headers).toHaveProperty('Retry-After');
    expect(JSON.stringify(responses['400'])).toContain(
      'urn:madoguchi:problem:unsupported-grant-type',
    );
  });
});

describe('grant types (Hardening #10)', () => {
  it('an unknown grant_type answers 400 unsupported-grant-type; a missing one names the field', async () => {
    const clientId = await createClient(db());
    for (const request of [
      apiRequest('/api/v1/token', { form: { grant_type: 'password', client_id: clientId } }),
      apiRequest('/api/v1/token', {
        json: { grant_type: 'client_credentials', client_id: clientId },
      }),
    ]) {
      const response = await call(tokenRoute.action, request, apiContext(db(), secrets));
      expect(response.status).toBe(400);
      expect((await problemOf(response)).type).toBe('urn:madoguchi:problem:unsupported-grant-type');
    }
    const missing = await call(
      tokenRoute.action,
      apiRequest('/api/v1/token', { form: { client_id: clientId } }),
      apiContext(db(), secrets),
    );
    expect(missing.status).toBe(400);
    const problem = await problemOf(missing);
    expect(problem.type).toBe('urn:madoguchi:problem:validation');
    expect(problem.errors?.map((e) => e.field)).toContain('grant_type');
  });
});

describe('push subscription keys (Hardening #10)', () => {
  const browserKeys = () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    return {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    };
  };
  const offCurve = () => {
    const key = Buffer.from(browserKeys().p256dh, 'base64url');
    key[64] = key[64]! ^ 1; // y no longer matches x
    return key.toString('base64url');
  };
  const bad: [
    string,
    'keys.p256dh' | 'keys.auth',
    (k: ReturnType<typeof browserKeys>) => object,
  ][] = [
    ['p256dh off the curve', 'keys.p256dh', (k) => ({ ...k, p256dh: offCurve() })],
    [
      'p256dh compressed (33 bytes)',
      'keys.p256dh',
      (k) => ({
        ...k,
        p256dh: Buffer.from([2, ...Buffer.from(k.p256dh, 'base64url').subarray(1, 33)]).toString(
          'base64url',
        ),
      }),
    ],
    [
      'p256dh without the 0x04 prefix',
      'keys.p256dh',
      (k) => ({
        ...k,
        p256dh: Buffer.from([5, ...Buffer.from(k.p256dh, 'base64url').subarray(1)]).toString(
          'base64url',
        ),
      }),
    ],
    ['p256dh not base64url', 'keys.p256dh', (k) => ({ ...k, p256dh: `${k.p256dh.slice(1)}+` })],
    [
      'auth of 15 bytes',
      'keys.auth',
      (k) => ({ ...k, auth: randomBytes(15).toString('base64url') }),
    ],
    [
      'auth of 32 bytes',
      'keys.auth',
      (k) => ({ ...k, auth: randomBytes(32).toString('base64url') }),
    ],
  ];

  it.each(bad)(
    'the app API refuses %s: 400 problem+json naming the field',
    async (_, field, keys) => {
      const residentId = await createResident(db());
      const clientId = await createClient(db());
      const tokens = await linkDevice(db(), secrets, clientId, residentId);
      const response = await call(
        registrationsRoute.action,
        apiRequest('/api/v1/push-registrations', {
          token: tokens.access_token,
          json: {
            channel: 'webpush',
            endpoint: 'https://push.example.com/push/abc',
            keys: keys(browserKeys()),
          },
        }),
        apiContext(db(), secrets),
      );
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.type).toBe('urn:madoguchi:problem:validation');
      expect(problem.errors?.map((e) => e.field)).toEqual([field]);
      const stored = await db()
        .selectFrom('pushRegistration')
        .select('id')
        .where('residentId', '=', residentId)
        .execute();
      expect(stored).toEqual([]);
    },
  );

  it('the app API accepts a browser’s real keys', async () => {
    const residentId = await createResident(db());
    const clientId = await createClient(db());
    const tokens = await linkDevice(db(), secrets, clientId, residentId);
    const response = await call(
      registrationsRoute.action,
      apiRequest('/api/v1/push-registrations', {
        token: tokens.access_token,
        json: {
          channel: 'webpush',
          endpoint: 'https://push.example.com/push/abc',
          keys: browserKeys(),
        },
      }),
      apiContext(db(), secrets),
    );
    expect(response.status).toBe(201);
  });

  it.each(bad)('the portal’s subscription form refuses %s too', (_, field, keys) => {
    const result = WebPushSubscription.safeParse({
      endpoint: 'https://push.example.com/push/abc',
      ...keys(browserKeys()),
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([field.replace('keys.', '')]);
    expect(
      WebPushSubscription.safeParse({ endpoint: 'https://push.example.com/a', ...browserKeys() })
        .success,
    ).toBe(true);
  });
});
