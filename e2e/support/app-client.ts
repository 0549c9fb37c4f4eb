import { createHash, randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { appDatabase, createResident } from './app.ts';
import { createAuthorizationCode } from '../../app/api/link.service.server.ts';
import { registerClient } from '../../app/api/client.service.server.ts';
import * as S from '../../app/api/api.schema.ts';

/**
 * A scripted app client: test code speaking HTTP to the running app as the Myna app would.
 */
export const REDIRECT = 'https://app.example.jp/callback';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export type Tokens = ReturnType<typeof S.TokenResponse.parse>;

/** A new app client (unique id) allowed to redirect to REDIRECT. */
export async function registerTestClient(prefix = 'app', name = 'Myna App (test)') {
  const id = `${prefix}-${randomBytes(4).toString('hex')}`;
  await registerClient(appDatabase().db, {
    id,
    name,
    redirectUris: [REDIRECT],
    createdBy: null,
  });
  return id;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

async function exchangeCode(
  request: APIRequestContext,
  clientId: string,
  code: string,
  verifier: string,
): Promise<Tokens> {
  const form = {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  };
  const response = await request.post('/api/v1/token', { form });
  expect(response.status(), await response.text()).toBe(200);
  const tokens = S.TokenResponse.parse(await response.json());
  // The code works once.
  const again = await request.post('/api/v1/token', { form });
  expect(again.status()).toBe(400);
  expect(again.headers()['content-type']).toContain('application/problem+json');
  return tokens;
}

/** Pages whose requests to the app's origin are answered locally. */
const routedPages = new WeakSet<Page>();

/**
 * Account link (アカウント連携) the way a real app does it: the portal's consent page in the
 * browser of the resident signed in on `page`, the redirect back to the app (captured, never
 * sent to the network), then the code + PKCE verifier exchanged at POST /api/v1/token.
 */
export async function linkApp(
  page: Page,
  request: APIRequestContext,
  clientId: string,
  device: string,
): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    device_name: device,
  });
  // Once per page and never removed: the browser asks the app's origin for its favicon some
  // time after arriving, and that request must not reach the network either.
  if (!routedPages.has(page)) {
    routedPages.add(page);
    await page.route('https://app.example.jp/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'app' }),
    );
  }
  await page.goto(`/ja/app/authorize?${query}`);
  await page.getByRole('button', { name: '連携する' }).click();
  // Wait until the browser has finished arriving at the app, so that no later
  // navigation in the test is interrupted by this one.
  await page.waitForURL(`${REDIRECT}?**`, { waitUntil: 'load' });

  const back = new URL(page.url());
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);
  return exchangeCode(request, clientId, back.searchParams.get('code') ?? '', verifier);
}

/**
 * A link without the browser: the authorization code the consent page would have issued for
 * this resident (through the same service), exchanged over HTTP. For tests that need many
 * links, e.g. to stay within each token's rate limit, or a second device of a resident.
 */
export async function linkResident(
  request: APIRequestContext,
  clientId: string,
  residentId: string,
  device = 'Test phone',
): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const code = await createAuthorizationCode(appDatabase().db, {
    clientId,
    residentId,
    redirectUri: REDIRECT,
    codeChallenge: challenge,
    deviceName: device,
  });
  return exchangeCode(request, clientId, code, verifier);
}

/** A new resident, linked by linkResident. */
export async function linkNewResident(
  request: APIRequestContext,
  clientId: string,
): Promise<Tokens & { residentId: string; registerCode: string }> {
  const resident = await createResident();
  const tokens = await linkResident(request, clientId, resident.id);
  return { ...tokens, residentId: resident.id, registerCode: resident.registerCode };
}
