import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident, signInAsNewStaff, signInWithPasskey } from './support/app.ts';
import { bearer, linkNewResident, registerTestClient } from './support/app-client.ts';
import { OFF_SITE, SAME_SITE } from '../test/support/link-attacks.ts';
import { createSsoTicket } from '../app/api/sso.service.server.ts';
import { registerClient } from '../app/api/client.service.server.ts';
import { createTodosForResidents } from '../app/todos/todo-bulk.server.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';

/**
 * Every place that takes a return path or a link target, attacked with the same list
 * (test/support/link-attacks.ts): nothing may send a browser to another host except through
 * the leaving page, and no odd value may give a 5xx.
 */

const ATTACKS = [...OFF_SITE, ...SAME_SITE];
/** The ones a browser would have followed off-site under the old first-characters check. */
const SIGN_IN_ATTACKS = [
  '/\t/evil.example/rt',
  '/\n/evil.example/nl',
  '/\r/evil.example/cr',
  '/\\evil.example/bs',
  '//evil.example/ss',
  '/.//evil.example/dot',
  'https://evil.example/abs',
  'javascript:alert(1)',
  ' //evil.example/space',
  '\u0001//evil.example/control',
];

/** Records every 5xx answer the page receives. */
function recordServerErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 500) seen.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

/** Answers any request to another host here and records it: nothing reaches the network. */
async function recordOffSite(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.context().route(
    (url) => url.hostname !== 'localhost',
    (route) => {
      seen.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'off-site' });
    },
  );
  return seen;
}

/** Rewrites the redirectTo field of the next sign-in posts, as a tampered form would send it. */
async function tamperRedirectTo(page: Page, value: string) {
  await page.unroute('**/sign-in.data*');
  await page.route('**/sign-in.data*', (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const form = new URLSearchParams(request.postData() ?? '');
    expect(form.has('response'), 'a url-encoded sign-in post').toBe(true);
    form.set('redirectTo', value);
    return route.continue({ postData: form.toString() });
  });
}

/** The redirectTo the sign-in loader puts in its form for this query value. */
async function loaderRedirectTo(request: APIRequestContext, page: string, value: string) {
  const response = await request.get(`${page}?redirectTo=${encodeURIComponent(value)}`);
  expect(response.status(), JSON.stringify(value)).toBe(200);
  const html = await response.text();
  const match = /name="redirectTo" value="([^"]*)"/.exec(html);
  return (match?.[1] ?? '').replaceAll('&amp;', '&');
}

/** True if a browser on our origin would stay on it when sent to `path`. */
const staysHome = (path: string, base: string) =>
  new URL(path, `${base}/en/sign-in`).origin === new URL(base).origin;

test.describe('return paths after sign-in', () => {
  test('the sign-in loaders hand on only paths of our own origin, never a 5xx', async ({
    request,
    baseURL,
  }) => {
    for (const [page, fallback] of [
      ['/en/sign-in', '/en/my'],
      ['/en/admin/sign-in', '/en/admin'],
    ] as const) {
      for (const attack of ATTACKS) {
        const handed = await loaderRedirectTo(request, page, attack);
        expect(handed.startsWith('/') && !handed.startsWith('//'), JSON.stringify(attack)).toBe(
          true,
        );
        expect(staysHome(handed, baseURL!), JSON.stringify(attack)).toBe(true);
        if (OFF_SITE.includes(attack)) expect(handed, JSON.stringify(attack)).toBe(fallback);
      }
      expect(await loaderRedirectTo(request, page, '/en/notices?q=a')).toBe('/en/notices?q=a');
    }
  });

  test('a resident signing in from an attacker’s link lands on our site, for every form of it', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const offSite = await recordOffSite(page);
    const serverErrors = recordServerErrors(page);
    await enrolResident(page, '1969-07-20');

    // The reported attack: the tab is dropped by the browser, leaving //evil.example/rt.
    await page.goto('/en/sign-in?redirectTo=%2F%09%2Fevil.example%2Frt');
    await signInWithPasskey(page, 'Sign in with a passkey');
    await expect(page).toHaveURL(`${baseURL}/en/my`);

    // The action judges a posted redirectTo itself (a tampered form), and a newline gives a
    // redirect home, not a 500 after the old session was ended.
    for (const attack of SIGN_IN_ATTACKS) {
      await tamperRedirectTo(page, attack);
      await page.goto('/en/sign-in');
      await signInWithPasskey(page, 'Sign in with a passkey');
      await expect(page, JSON.stringify(attack)).toHaveURL(`${baseURL}/en/my`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('My page');
    }
    // A path of ours is still followed.
    await tamperRedirectTo(page, '/en/notices');
    await page.goto('/en/sign-in');
    await signInWithPasskey(page, 'Sign in with a passkey');
    await expect(page).toHaveURL(`${baseURL}/en/notices`);
    expect(offSite).toEqual([]);
    expect(serverErrors).toEqual([]);
  });

  test('staff signing in from an attacker’s link land on our site', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const offSite = await recordOffSite(page);
    const serverErrors = recordServerErrors(page);
    await signInAsNewStaff(page, []);

    await page.goto('/en/admin/sign-in?redirectTo=%2F%09%2Fevil.example%2Frt');
    await signInWithPasskey(page, 'Sign in with a passkey');
    await expect(page).toHaveURL(`${baseURL}/en/admin`);
    // The page has rendered before the next navigation leaves it (a navigation during the
    // render made React report an unfinished root as a page error).
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff pages');
    for (const attack of ['/\n/evil.example/nl', '/\\evil.example/bs', '/a/..//evil.example/']) {
      await tamperRedirectTo(page, attack);
      await page.goto('/en/admin/sign-in');
      await signInWithPasskey(page, 'Sign in with a passkey');
      await expect(page, JSON.stringify(attack)).toHaveURL(`${baseURL}/en/admin`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff pages');
    }
    expect(offSite).toEqual([]);
    expect(serverErrors).toEqual([]);
  });
});

test.describe('the app’s SSO hand-off', () => {
  test('the API refuses a path that leaves the portal; a stored one is not followed', async ({
    request,
    baseURL,
  }) => {
    const clientId = await registerTestClient('sso');
    const tokens = await linkNewResident(request, clientId);
    const sso = (path: string) =>
      request.post('/api/v1/sso', { headers: bearer(tokens.access_token), data: { path } });
    for (const path of [...OFF_SITE, '/ja/..//evil.example/', '/en/%2e%2e//evil.example/']) {
      const response = await sso(path);
      expect(response.status(), JSON.stringify(path)).toBe(400);
      expect(response.headers()['content-type']).toContain('application/problem+json');
    }
    // Odd but harmless paths: refused by the pattern or accepted, never a 5xx.
    for (const path of SAME_SITE)
      expect([201, 400], JSON.stringify(path)).toContain((await sso(path)).status());

    // Tickets written before the rule: the hand-off still ends on our site, without a 5xx.
    const { db } = appDatabase();
    const link = await db
      .selectFrom('appLink')
      .select('id')
      .where('residentId', '=', tokens.residentId)
      .where('clientId', '=', clientId)
      .where('endedAt', 'is', null)
      .executeTakeFirstOrThrow();
    for (const [path, expected] of [
      ['/ja/..//evil.example/', '/ja/my'],
      ['/ja/../\t/evil.example/', '/ja/my'],
      ['/ja/\n/x', null], // our own path either way; the router may tidy its slashes
      ['/ja/notices', '/ja/notices'],
    ] as const) {
      const { ticket } = await createSsoTicket(
        db,
        { residentId: tokens.residentId, clientId, linkId: link.id, path },
        null,
      );
      const response = await request.get(`/ja/sso?ticket=${encodeURIComponent(ticket)}`, {
        maxRedirects: 0,
      });
      expect(response.status(), JSON.stringify(path)).toBe(302);
      const location = response.headers()['location'] ?? '';
      if (expected) expect(location, JSON.stringify(path)).toBe(expected);
      expect(staysHome(location, baseURL!)).toBe(true);
    }
  });
});

test.describe('the leaving page', () => {
  test('offers only a real http(s) address, the one the button goes to', async ({ page }) => {
    for (const to of [
      ...ATTACKS.filter((a) => !/^https?:\/\/evil/i.test(a)),
      'https://www.city.example.jp@evil.example/',
      'https://user:pass@evil.example/',
      'https:/\\evil.example/',
    ]) {
      await page.goto(`/en/leaving?to=${encodeURIComponent(to)}`);
      await expect(page.getByText('This link cannot be opened.'), JSON.stringify(to)).toBeVisible();
      await expect(page.getByRole('link', { name: 'Go to this site' })).toHaveCount(0);
    }
    await page.goto(`/en/leaving?to=${encodeURIComponent('https://www.city.example.jp/a?b=1')}`);
    await expect(page.getByRole('link', { name: 'Go to this site' })).toHaveAttribute(
      'href',
      'https://www.city.example.jp/a?b=1',
    );
  });
});

test.describe('app redirect URIs', () => {
  test.use({ locale: 'ja-JP' });

  test('staff cannot register a redirect URI that hides its host or carries invisible characters', async ({
    page,
  }) => {
    await signInAsNewStaff(page, ['clients:manage']);
    await page.goto('/ja/admin/clients');
    const id = `bad-${randomBytes(4).toString('hex')}`;
    for (const uri of [
      'https://app.example.jp@evil.example/callback',
      'https://app.exa\tmple.jp/callback',
      'javascript:alert(1)//',
      '//evil.example/callback',
    ]) {
      await page.getByLabel('クライアント ID').fill(id);
      await page.getByLabel('名前').fill('Evil');
      await page.getByLabel('リダイレクト URI').fill(`https://app.example.jp/callback\n${uri}`);
      await page.getByRole('button', { name: '登録する' }).click();
      await expect(page.getByRole('alert').first(), JSON.stringify(uri)).toBeVisible();
      await expect(page.getByLabel('リダイレクト URI')).toHaveAttribute('aria-invalid', 'true');
    }
    const { db } = appDatabase();
    expect(await db.selectFrom('appClient').where('id', '=', id).select('id').execute()).toEqual(
      [],
    );
  });

  test('a client registered before the rule cannot send a resident to a URI it now refuses', async ({
    page,
  }) => {
    const offSite = await recordOffSite(page);
    const sneaky = 'https://app.example.jp@evil.example/callback';
    const clientId = `old-${randomBytes(4).toString('hex')}`;
    await registerClient(appDatabase().db, {
      id: clientId,
      name: 'Old App',
      redirectUris: [sneaky],
      createdBy: null,
    });
    await enrolResident(page, '1970-01-02');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: sneaky,
      code_challenge: randomBytes(32).toString('base64url'),
      code_challenge_method: 'S256',
      state: 'x',
    });
    const response = await page.goto(`/ja/app/authorize?${query}`);
    expect(response?.status()).toBe(400);
    await expect(page.getByTestId('authorize-error')).toBeVisible();
    await expect(page.getByRole('button', { name: '連携する' })).toHaveCount(0);
    expect(offSite).toEqual([]);
  });
});

test.describe('links residents follow', () => {
  /** Every link's target as the browser resolved it (the href property, not the attribute). */
  const resolvedLinks = (page: Page, selector: string) =>
    page
      .locator(`${selector} a[href]`)
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));

  test('to-do and notice links never leave the site except through the leaving page', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const resident = await enrolResident(page, '1981-11-11');
    const { db } = appDatabase();
    // Rows written before the rule (the bulk insert stores what it is given).
    const targets = [
      '/\t/evil.example/tab',
      '/.//evil.example/dot',
      '/\\evil.example/bs',
      'https://www.city.example.jp@evil.example/',
    ];
    for (const [i, actionUrl] of targets.entries())
      await createTodosForResidents(db, {
        residentIds: [resident.id],
        titleJa: `リンクの確認 ${i}`,
        titleEn: `Link check ${i}`,
        descriptionJa: null,
        descriptionEn: null,
        dueDate: null,
        actionUrl,
        createdBy: null,
        idempotencyKey: `links-${randomBytes(6).toString('hex')}`,
      });
    await page.goto('/en/todos');
    for (const [i] of targets.entries())
      await expect(page.getByRole('heading', { name: `Link check ${i}` })).toBeVisible();
    for (const href of await resolvedLinks(page, 'main'))
      expect(new URL(href).origin, href).toBe(new URL(baseURL!).origin);
    await expect(page.locator('main a[href*="evil"]')).toHaveCount(0);

    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'operator',
      titleJa: 'リンクの確認',
      bodyJa: '本文',
      titleEn: 'Link check',
      bodyEn: [
        '[bs](/\\evil.example/bs)',
        '[tab](</\t/evil.example/tab>)',
        '[dot](/.//evil.example/dot)',
        '[user](https://www.city.example.jp@evil.example/)',
        '[city](https://www.city.example.jp/)',
        '[ours](/en/todos)',
      ].join('\n\n'),
      publishAt: new Date(),
      expiresAt: null,
      createdBy: null,
    });
    await page.goto(`/en/notices/${notice.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Link check');
    const hrefs = await resolvedLinks(page, 'main');
    for (const href of hrefs) {
      const url = new URL(href);
      expect(url.origin, href).toBe(new URL(baseURL!).origin);
      if (url.pathname === '/en/leaving')
        expect(new URL(url.searchParams.get('to') ?? '').host).toBe('www.city.example.jp');
    }
    expect(hrefs.map((h) => new URL(h).pathname)).toEqual(
      expect.arrayContaining(['/en/leaving', '/en/todos']),
    );
    for (const name of ['bs', 'tab', 'dot', 'user'])
      await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
  });
});
