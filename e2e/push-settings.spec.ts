import { createECDH, randomBytes } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident } from './support/app.ts';

/** What a browser's PushSubscription.toJSON() holds, for a push service on the internet. */
function subscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.net/send/${randomBytes(12).toString('hex')}`,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

test.describe('push notification settings', () => {
  test.use({ locale: 'ja-JP' });

  test('a resident sees this browser’s state, stores a subscription, lists and stops devices', async ({
    page,
    checkPage,
  }) => {
    const resident = await enrolResident(page, '1979-05-05');
    await page.getByRole('link', { name: 'プッシュ通知' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'プッシュ通知' })).toBeFocused();
    await expect(page.getByRole('button', { name: 'このブラウザで通知を受け取る' })).toBeVisible();
    await expect(page.getByText('通知を受け取っている端末はありません。')).toBeVisible();
    await checkPage({ lang: 'ja' });

    // What the page's script posts after pushManager.subscribe() (headless Chromium has no
    // push service to subscribe to).
    const origin = new URL(page.url()).origin;
    const good = subscription();
    const stored = await page.request.post('/ja/my/notifications', {
      form: { intent: 'subscribe', ...good },
      headers: { Origin: origin },
    });
    expect(stored.status()).toBe(200);
    // A broken subscription is refused and stores nothing.
    const bad = await page.request.post('/ja/my/notifications', {
      form: { intent: 'subscribe', ...subscription(), endpoint: 'http://push.example.net/x' },
      headers: { Origin: origin },
    });
    expect(bad.status()).toBe(400);
    const shortKey = await page.request.post('/ja/my/notifications', {
      form: { intent: 'subscribe', ...subscription(), p256dh: 'AAAA' },
      headers: { Origin: origin },
    });
    expect(shortKey.status()).toBe(400);

    const { db } = appDatabase();
    const active = () =>
      db
        .selectFrom('pushRegistration')
        .select(['token', 'channel', 'locale', 'linkId'])
        .where('residentId', '=', resident.id)
        .where('deactivatedAt', 'is', null)
        .execute();
    expect(await active()).toEqual([
      { token: good.endpoint, channel: 'webpush', locale: 'ja', linkId: null },
    ]);

    await page.reload();
    const device = page.getByRole('listitem').filter({ hasText: 'ブラウザ' });
    await expect(device).toBeVisible();
    await device.getByRole('button', { name: /^止める/ }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'その端末への通知を止めました。' }),
    ).toBeVisible();
    await expect(page.getByText('通知を受け取っている端末はありません。')).toBeVisible();
    expect(await active()).toEqual([]);

    await page.goto('/en/my/notifications');
    await expect(
      page.getByRole('button', { name: 'Get notifications in this browser' }),
    ).toBeVisible();
    await checkPage({ lang: 'en' });
  });

  test('the service worker shows a pushed notice in its language and links to it', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['notifications']);
    await enrolResident(page, '1985-08-08');
    await page.goto('/ja/my/notifications');
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) =>
      registrations.push(...event.registrations),
    );
    await cdp.send('ServiceWorker.enable');
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    const origin = new URL(page.url()).origin;
    const payload = {
      v: 1,
      type: 'notice',
      noticeId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      lang: 'ja',
      title: '新しいお知らせがあります',
      body: '転出のお知らせ',
      url: '/ja/notices/0f8fad5b-d9cb-469f-a165-70867728950e',
    };
    // The registration of our scope as last reported (earlier events may describe it while
    // it was still installing).
    const registrationId = () =>
      registrations.filter((r) => r.scopeURL === `${origin}/`).at(-1)?.registrationId ??
      registrations.at(-1)!.registrationId;
    const push = () =>
      cdp.send('ServiceWorker.deliverPushMessage', {
        origin,
        registrationId: registrationId(),
        data: JSON.stringify(payload),
      });
    await push();
    let polls = 0;
    const shown = async () => {
      // A push that reached the worker before it could handle it is sent again: the same tag
      // replaces a notification, so at most one is ever shown.
      if (++polls % 5 === 0) await push();
      return page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          lang: n.lang,
          tag: n.tag,
          url: (n.data as { url: string }).url,
        }));
      });
    };
    await expect.poll(shown, { timeout: 15_000 }).toEqual([
      {
        title: payload.title,
        body: payload.body,
        lang: 'ja',
        tag: 'new-notice',
        url: payload.url,
      },
    ]);
  });
});
