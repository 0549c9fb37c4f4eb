import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import {
  addVirtualAuthenticator,
  appDatabase,
  createStaffInvite,
  enrolResident,
} from './support/app.ts';
import { registerClient } from '../app/api/client.service.server.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import * as S from '../app/api/api.schema.ts';
import { bearer, linkApp, REDIRECT } from './support/app-client.ts';

// A scripted app client speaking HTTP to the running app, as the Myna app would
// (e2e/support/app-client.ts).
const link = linkApp;

test.describe('app API', () => {
  test.use({ locale: 'ja-JP' });

  test('link → notices → detail → to-dos → refresh → SSO → unlink; a second device of the same app ends the first', async ({
    page,
    request,
    browser,
  }) => {
    const { db } = appDatabase();
    const clientId = `app-${randomBytes(4).toString('hex')}`;
    const otherClient = `other-${randomBytes(4).toString('hex')}`;
    await registerClient(db, {
      id: clientId,
      name: 'Myna App (test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    await registerClient(db, {
      id: otherClient,
      name: 'Other App (test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    const resident = await enrolResident(page, '1964-10-10');
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: 'アプリのテスト',
      bodyJa: '本文',
      titleEn: 'App test',
      bodyEn: 'Body',
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });

    const first = await link(page, request, clientId, 'Phone A');
    const me = S.Me.parse(
      await (await request.get('/api/v1/link', { headers: bearer(first.access_token) })).json(),
    );
    expect(me.subject).toBe(first.subject);

    const list = await request.get('/api/v1/notices', {
      headers: { ...bearer(first.access_token), 'Accept-Language': 'en' },
    });
    expect(list.status()).toBe(200);
    const notices = S.NoticeList.parse(await list.json());
    const item = notices.items.find((n) => n.id === notice.id);
    expect(item).toMatchObject({ title: 'App test', lang: 'en', unread: true });
    const etag = list.headers()['etag'] ?? '';
    expect(
      (
        await request.get('/api/v1/notices', {
          headers: {
            ...bearer(first.access_token),
            'Accept-Language': 'en',
            'If-None-Match': etag,
          },
        })
      ).status(),
    ).toBe(304);

    const detail = S.NoticeDetail.parse(
      await (
        await request.get(`/api/v1/notices/${notice.id}`, { headers: bearer(first.access_token) })
      ).json(),
    );
    expect(detail.title).toBe('アプリのテスト');
    const after = S.NoticeList.parse(
      await (await request.get('/api/v1/notices', { headers: bearer(first.access_token) })).json(),
    );
    expect(after.items.find((n) => n.id === notice.id)?.unread).toBe(false);
    S.TodoList.parse(
      await (await request.get('/api/v1/todos', { headers: bearer(first.access_token) })).json(),
    );
    S.Insurance.parse(
      await (
        await request.get('/api/v1/insurance', { headers: bearer(first.access_token) })
      ).json(),
    );

    // Refresh: a new pair; the old refresh token is spent.
    const refreshed = await request.post('/api/v1/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: first.refresh_token,
      },
    });
    const second = S.TokenResponse.parse(await refreshed.json());
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.subject).toBe(first.subject);

    // SSO: a one-time URL opens the portal signed in; a second use fails clearly.
    const sso = S.SsoResponse.parse(
      await (
        await request.post('/api/v1/sso', {
          headers: bearer(second.access_token),
          data: { path: '/ja/notices' },
        })
      ).json(),
    );
    const web = await browser.newContext({ locale: 'ja-JP' });
    const webPage = await web.newPage();
    await webPage.goto(new URL(sso.url).pathname + new URL(sso.url).search);
    await expect(webPage).toHaveURL(/\/ja\/notices$/);
    await expect(webPage.locator('h1')).toHaveText('お知らせ');
    const reuse = await webPage.goto(new URL(sso.url).pathname + new URL(sso.url).search);
    expect(reuse?.status()).toBe(410);
    await expect(webPage.getByText('このリンクはすでに使われています。')).toBeVisible();
    await web.close();

    // The same resident under another client has another PPID; nothing shows the register code.
    const other = await link(page, request, otherClient, 'Tablet');
    expect(other.subject).not.toBe(first.subject);
    for (const body of [
      JSON.stringify(other),
      await (await request.get('/api/v1/notices', { headers: bearer(other.access_token) })).text(),
    ]) {
      expect(body).not.toContain(resident.registerCode);
    }
    // One device per app: the tablet (another app) keeps the phone's link; a new phone of the
    // same app replaces it, and the old phone's tokens say so.
    expect(
      (await request.get('/api/v1/notices', { headers: bearer(second.access_token) })).status(),
    ).toBe(200);
    await link(page, request, clientId, 'New phone');
    const replaced = await request.get('/api/v1/notices', { headers: bearer(second.access_token) });
    expect(replaced.status()).toBe(401);
    expect((await replaced.json()).type).toBe('urn:madoguchi:problem:device-replaced');

    // Unlink (連携停止): the tablet's tokens stop.
    expect(
      (await request.delete('/api/v1/link', { headers: bearer(other.access_token) })).status(),
    ).toBe(204);
    const gone = await request.get('/api/v1/notices', { headers: bearer(other.access_token) });
    expect((await gone.json()).type).toBe('urn:madoguchi:problem:link-ended');
  });

  test('a rotated refresh token presented again revokes the whole family', async ({
    page,
    request,
  }) => {
    const { db } = appDatabase();
    const clientId = `app-${randomBytes(4).toString('hex')}`;
    await registerClient(db, {
      id: clientId,
      name: 'Myna App (test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    await enrolResident(page, '1977-07-17');
    const first = await link(page, request, clientId, 'Phone');
    const refresh = (token: string) =>
      request.post('/api/v1/token', {
        form: { grant_type: 'refresh_token', client_id: clientId, refresh_token: token },
      });
    const second = S.TokenResponse.parse(await (await refresh(first.refresh_token)).json());
    const stolen = await refresh(first.refresh_token);
    expect(stolen.status()).toBe(400);
    expect(await stolen.json()).toMatchObject({ type: 'urn:madoguchi:problem:invalid-grant' });
    // The legitimate holder's newer token is revoked too, and the link has ended.
    expect((await refresh(second.refresh_token)).status()).toBe(401);
    expect(
      (await request.get('/api/v1/notices', { headers: bearer(second.access_token) })).status(),
    ).toBe(401);
  });

  test('the resident sees each linked app in the portal and ends their links one by one', async ({
    page,
    request,
    checkPage,
  }) => {
    const { db } = appDatabase();
    const clientId = `app-${randomBytes(4).toString('hex')}`;
    await registerClient(db, {
      id: clientId,
      name: 'Myna App (portal test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    const otherId = `app-${randomBytes(4).toString('hex')}`;
    await registerClient(db, {
      id: otherId,
      name: 'Other App (portal test)',
      redirectUris: [REDIRECT],
      createdBy: null,
    });
    await enrolResident(page, '1981-01-21');
    const tokens = await link(page, request, clientId, 'Phone C');
    // One device per app: a second app is listed beside the first, each with its own button.
    const other = await link(page, request, otherId, 'Tablet D');
    await page.goto('/ja/my/app');
    await expect(
      page.getByRole('heading', { level: 2, name: 'Myna App (portal test)' }),
    ).toBeVisible();
    await expect(
      page.getByRole('heading', { level: 2, name: 'Other App (portal test)' }),
    ).toBeVisible();
    await expect(page.locator('main')).toContainText('Phone C');
    await checkPage({ lang: 'ja' });
    await page.getByRole('link', { name: '連携を終了する Other App (portal test)' }).click();
    await page.getByRole('button', { name: '連携を終了する Other App (portal test)' }).click();
    await expect(page.getByText('アプリとの連携を終了しました。')).toBeVisible();
    const ended = await request.get('/api/v1/notices', { headers: bearer(other.access_token) });
    expect((await ended.json()).type).toBe('urn:madoguchi:problem:link-ended');
    expect(
      (await request.get('/api/v1/notices', { headers: bearer(tokens.access_token) })).status(),
    ).toBe(200);
    await page.getByRole('link', { name: '連携を終了する' }).click();
    await page.getByRole('button', { name: '連携を終了する' }).click();
    // The same message is still on the page from the first app: wait for this app to go.
    await expect(
      page.getByRole('heading', { level: 2, name: 'Myna App (portal test)' }),
    ).toHaveCount(0);
    await expect(page.getByText('アプリとの連携を終了しました。')).toBeVisible();
    const after = await request.get('/api/v1/notices', { headers: bearer(tokens.access_token) });
    expect((await after.json()).type).toBe('urn:madoguchi:problem:link-ended');
    await page.goto('/en/my/app');
    await expect(page.getByText('No app is linked at the moment.')).toBeVisible();
    await checkPage({ lang: 'en' });
  });

  test('the human-readable reference lists every operation of the OpenAPI document', async ({
    page,
    request,
    checkPage,
  }) => {
    const doc = await (await request.get('/api/v1/openapi.json')).json();
    for (const lang of ['ja', 'en'] as const) {
      await page.goto(`/${lang}/developers/api`);
      for (const [path, methods] of Object.entries(
        doc.paths as Record<string, Record<string, unknown>>,
      )) {
        // (a path item's `description` is not a method)
        for (const method of Object.keys(methods).filter((k) => k !== 'description'))
          await expect(
            page.getByRole('heading', { name: `${method.toUpperCase()} ${path}`, exact: true }),
          ).toBeVisible();
      }
      await checkPage({ lang });
    }
  });

  test('staff register an app client; a bad redirect URI is refused next to the field', async ({
    page,
    checkPage,
  }) => {
    const invite = await createStaffInvite(
      ['clients:manage'],
      `Client Admin ${randomBytes(3).readUIntBE(0, 3)}`,
    );
    await addVirtualAuthenticator(page);
    await page.goto(`/ja/admin/accept?token=${invite.token}`);
    await page.getByRole('button', { name: 'パスキーを登録して職員アカウントを作成' }).click();
    await expect(page).toHaveURL(/\/ja\/admin$/);
    await page
      .getByRole('navigation', { name: '職員用メニュー' })
      .getByRole('link', { name: 'アプリ連携' })
      .click();
    await expect(page.locator('h1')).toHaveText('アプリ連携の管理');
    const id = `app-${randomBytes(3).toString('hex')}`;
    await page.getByLabel('クライアント ID').fill(id);
    await page.getByLabel('名前').fill('Test App');
    await page.getByLabel('リダイレクト URI').fill('http://insecure.example/cb');
    await page.getByRole('button', { name: '登録する' }).click();
    await expect(page.getByRole('alert')).toContainText('https の URL かアプリ固有のスキーム');
    await expect(page.getByLabel('クライアント ID')).toHaveValue(id);
    await checkPage({ lang: 'ja' });
    await page
      .getByLabel('リダイレクト URI')
      .fill('jp.example.app:/callback\nhttps://app.example.jp/callback');
    await page.getByRole('button', { name: '登録する' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: `「${id}」を登録しました。` }),
    ).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: id })).toContainText(
      'jp.example.app:/callback',
    );
    await page.goto('/en/admin/clients');
    await checkPage({ lang: 'en' });
  });

  test('bad requests get problem+json, never a 5xx; the OpenAPI document lists every route', async ({
    request,
  }) => {
    const cases = [
      request.get('/api/v1/notices'),
      request.get('/api/v1/notices', { headers: bearer('at1.garbage.x') }),
      request.post('/api/v1/token', {
        data: '{not json',
        headers: { 'Content-Type': 'application/json' },
      }),
      request.post('/api/v1/token', { form: { grant_type: 'password', client_id: 'nope' } }),
      request.post('/api/v1/token', {
        form: {
          grant_type: 'refresh_token',
          client_id: 'unknown-client',
          refresh_token: 'rt1.xxxxxxxxxxxx',
        },
      }),
      request.put('/api/v1/notices'),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response.status()).toBeGreaterThanOrEqual(400);
      expect(response.status()).toBeLessThan(500);
      expect(response.headers()['content-type']).toContain('application/problem+json');
      S.Problem.parse(await response.json());
    }
    const english = await request.post('/api/v1/token', {
      data: {},
      headers: { 'Accept-Language': 'en' },
    });
    const problem = S.Problem.parse(await english.json());
    expect(problem.title).toBe('The request is not valid');
    expect(problem.errors?.length).toBeGreaterThan(0);

    const doc = await (await request.get('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/token',
        '/api/v1/notices',
        '/api/v1/notices/{noticeId}',
        '/api/v1/todos',
        '/api/v1/todos/{todoId}',
        '/api/v1/insurance',
        '/api/v1/push-registrations',
        '/api/v1/sso',
        '/api/v1/link',
      ]),
    );
  });
});
