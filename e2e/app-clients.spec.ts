import { createHash, randomBytes } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident, signInAsNewStaff } from './support/app.ts';
import { registerClient } from '../app/api/client.service.server.ts';
import * as S from '../app/api/api.schema.ts';

// Staff disable an app client: it can no longer start a link, exchange a code or refresh, and
// its access tokens stop working; enabling it again restores its links.
const REDIRECT = 'https://clients.example.jp/callback';

function authorizeQuery(clientId: string) {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    device_name: 'Phone C',
  });
  return { verifier, query };
}

async function link(page: Page, request: APIRequestContext, clientId: string) {
  const { verifier, query } = authorizeQuery(clientId);
  await page.route('https://clients.example.jp/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: 'app' }),
  );
  await page.goto(`/ja/app/authorize?${query}`);
  await page.getByRole('button', { name: '連携する' }).click();
  await page.waitForURL(`${REDIRECT}?**`, { waitUntil: 'load' });
  const code = new URL(page.url()).searchParams.get('code') ?? '';
  await page.unrouteAll();
  const response = await request.post('/api/v1/token', {
    form: {
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    },
  });
  expect(response.status()).toBe(200);
  return S.TokenResponse.parse(await response.json());
}

async function expectProblem(
  response: Awaited<ReturnType<APIRequestContext['get']>>,
  status: number,
  type: string,
) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  const body = (await response.json()) as { type: string; title: string };
  expect(body.type).toBe(type);
  return body;
}

test.describe('app clients', () => {
  test.use({ locale: 'ja-JP' });

  test('staff disable a client: no link, no refresh, tokens 401; enabling restores it', async ({
    page,
    request,
    browser,
    checkPage,
  }) => {
    const { db } = appDatabase();
    const clientId = `off-${randomBytes(4).toString('hex')}`;
    await registerClient(db, {
      id: clientId,
      name: 'Suspended App (test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    // The resident (and the app's browser) in a context of their own; staff use `page`.
    const residentContext = await browser.newContext({ locale: 'ja-JP' });
    const residentPage = await residentContext.newPage();
    await enrolResident(residentPage, '1971-03-03');
    const tokens = await link(residentPage, request, clientId);
    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect((await request.get('/api/v1/notices', { headers: bearer })).status()).toBe(200);

    // Staff disable it on the clients page.
    await signInAsNewStaff(page, ['clients:manage']);
    await page.goto('/ja/admin/clients');
    const row = page.getByTestId(`client-${clientId}`);
    await expect(row).toContainText('利用中');
    await row.getByRole('button', { name: `停止する ${clientId}` }).click();
    await expect(
      page.getByRole('status').filter({ hasText: `「${clientId}」を停止しました` }),
    ).toBeVisible();
    await expect(row).toContainText('停止中');
    await checkPage({ lang: 'ja' });

    // Its access tokens stop at once, in the caller's language.
    const problem = await expectProblem(
      await request.get('/api/v1/notices', { headers: { ...bearer, 'Accept-Language': 'en' } }),
      401,
      'urn:madoguchi:problem:client-disabled',
    );
    expect(problem.title).toBe('This app has been disabled by Madoguchi');
    // It cannot refresh (the refresh token is not used up: it works again after enabling).
    await expectProblem(
      await request.post('/api/v1/token', {
        form: {
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: tokens.refresh_token,
        },
      }),
      401,
      'urn:madoguchi:problem:client-disabled',
    );
    // It cannot exchange a code or start a link: the authorize page says why, in Japanese.
    await expectProblem(
      await request.post('/api/v1/token', {
        form: {
          grant_type: 'authorization_code',
          client_id: clientId,
          code: `ac1.${randomBytes(32).toString('base64url')}`,
          redirect_uri: REDIRECT,
          code_verifier: randomBytes(32).toString('base64url'),
        },
      }),
      401,
      'urn:madoguchi:problem:client-disabled',
    );
    await residentPage.goto(`/ja/app/authorize?${authorizeQuery(clientId).query}`);
    await expect(residentPage.getByTestId('authorize-error')).toHaveText(
      'このアプリは窓口によって利用が停止されているため、いまは連携できません。アプリの提供元にお問い合わせください。',
    );
    await expect(residentPage.getByRole('button', { name: '連携する' })).toHaveCount(0);

    // Enabling restores the link: its tokens work again, and it can refresh.
    await row.getByRole('button', { name: `再開する ${clientId}` }).click();
    await expect(
      page.getByRole('status').filter({ hasText: `「${clientId}」の利用を再開しました` }),
    ).toBeVisible();
    expect((await request.get('/api/v1/notices', { headers: bearer })).status()).toBe(200);
    const refreshed = await request.post('/api/v1/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: tokens.refresh_token,
      },
    });
    expect(refreshed.status()).toBe(200);

    // Both changes are in the audit log, attributed to the staff member.
    const entries = await db
      .selectFrom('auditLog')
      .select(['action', 'actorType', 'outcome'])
      .where('targetType', '=', 'app_client')
      .where('targetId', '=', clientId)
      .where('action', 'in', ['app.client_disable', 'app.client_enable'])
      .orderBy('seq')
      .execute();
    expect(entries).toEqual([
      { action: 'app.client_disable', actorType: 'staff', outcome: 'success' },
      { action: 'app.client_enable', actorType: 'staff', outcome: 'success' },
    ]);
    await residentContext.close();
  });
});
