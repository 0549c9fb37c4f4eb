import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeApns, startFakeFcm } from '../../test/support/provider-fakes.ts';
import { httpsClient } from './channels/http.server.ts';
import { fcmSender } from './channels/fcm.server.ts';
import { apnsSender } from './channels/apns.server.ts';
import type { Device, PushSender } from './channels/channel.ts';
import { noticeMessage } from './message.ts';
import { webPushSender } from './channels/webpush.server.ts';
import { isPublicEndpoint } from './channels/endpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-providers-'));
const notice = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'broadcast' as const,
  titleJa: '転出のお知らせ',
  titleEn: 'Moving out',
};
const device = (channel: 'fcm' | 'apns', token: string, locale: 'ja' | 'en' = 'ja'): Device => ({
  id: token,
  channel,
  token,
  p256dh: null,
  auth: null,
  locale,
});

describe('FCM HTTP v1', () => {
  let fcm: Awaited<ReturnType<typeof startFakeFcm>>;
  let sender: PushSender;
  let http: ReturnType<typeof httpsClient>;
  beforeAll(async () => {
    fcm = await startFakeFcm('madoguchi-test');
    const file = join(dir, 'service-account.json');
    writeFileSync(file, JSON.stringify(fcm.serviceAccount));
    http = httpsClient({ extraCa: fcm.ca });
    sender = fcmSender(
      { projectId: 'madoguchi-test', endpoint: fcm.origin, serviceAccountFile: file },
      http,
    );
  });
  afterAll(async () => {
    http.close();
    await fcm.close();
  });

  it('authenticates with the service account once and sends the notice in the device’s language', async () => {
    const token = 'fcm-token-aaaaaaaaaaaa';
    expect(
      await sender.send(device('fcm', token, 'en'), noticeMessage(notice, 'en', 3600)),
    ).toEqual({ kind: 'sent', status: 200 });
    expect(
      await sender.send(device('fcm', `${token}-2`), noticeMessage(notice, 'ja', 3600)),
    ).toMatchObject({ kind: 'sent' });
    expect(fcm.tokenRequests).toBe(1); // the access token is kept
    expect(fcm.messages[0]!.body).toEqual({
      message: {
        token,
        notification: { title: 'You have a new notice', body: 'Moving out' },
        data: { type: 'notice', noticeId: notice.id, url: `/en/notices/${notice.id}`, lang: 'en' },
        android: { ttl: '3600s', collapse_key: 'new-notice', priority: 'normal' },
      },
    });
  });

  it('classifies UNREGISTERED as gone, 429 as retry and INVALID_ARGUMENT as permanent', async () => {
    fcm.answer('fcm-gone-0000000', 404);
    fcm.answer('fcm-busy-0000000', 429);
    fcm.answer('fcm-bad-00000000', 400);
    const message = noticeMessage(notice, 'ja', 60);
    expect(await sender.send(device('fcm', 'fcm-gone-0000000'), message)).toMatchObject({
      kind: 'gone',
    });
    expect(await sender.send(device('fcm', 'fcm-busy-0000000'), message)).toMatchObject({
      kind: 'retry',
      status: 429,
    });
    expect(await sender.send(device('fcm', 'fcm-bad-00000000'), message)).toMatchObject({
      kind: 'permanent',
      status: 400,
    });
  });
});

describe('APNs over HTTP/2', () => {
  let apns: Awaited<ReturnType<typeof startFakeApns>>;
  let sender: PushSender;
  beforeAll(async () => {
    apns = await startFakeApns('TEAM123456', 'KEY1234567', 'jp.example.myna');
    const keyFile = join(dir, 'AuthKey.p8');
    writeFileSync(keyFile, apns.key);
    sender = apnsSender(
      {
        origin: apns.origin,
        teamId: 'TEAM123456',
        keyId: 'KEY1234567',
        keyFile,
        topic: 'jp.example.myna',
      },
      apns.ca,
    );
  });
  afterAll(async () => {
    sender.close?.();
    await apns.close();
  });

  it('sends an alert with the provider token, topic, expiry and collapse id', async () => {
    const token = 'a'.repeat(64);
    const before = Math.floor(Date.now() / 1000);
    expect(await sender.send(device('apns', token), noticeMessage(notice, 'ja', 3600))).toEqual({
      kind: 'sent',
      status: 200,
    });
    const request = apns.requests[0]!;
    expect(request.token).toBe(token);
    expect(request.body).toEqual({
      aps: {
        alert: { title: '新しいお知らせがあります', body: '転出のお知らせ' },
        'thread-id': 'new-notice',
      },
      type: 'notice',
      noticeId: notice.id,
      url: `/ja/notices/${notice.id}`,
      lang: 'ja',
    });
    expect(request.headers['apns-push-type']).toBe('alert');
    expect(request.headers['apns-collapse-id']).toBe('new-notice');
    expect(request.headers['apns-priority']).toBe('5');
    const expiry = Number(request.headers['apns-expiration']);
    expect(expiry).toBeGreaterThanOrEqual(before + 3600);
    expect(expiry).toBeLessThanOrEqual(before + 3602);
  });

  it('classifies Unregistered as gone, 429 as retry, BadDeviceToken and 413 as permanent', async () => {
    apns.answer('b'.repeat(64), 410, 'Unregistered');
    apns.answer('c'.repeat(64), 400, 'BadDeviceToken');
    apns.answer('d'.repeat(64), 429, 'TooManyRequests');
    apns.answer('e'.repeat(64), 413, 'PayloadTooLarge');
    const message = noticeMessage(notice, 'ja', 60);
    expect(await sender.send(device('apns', 'b'.repeat(64)), message)).toMatchObject({
      kind: 'gone',
      status: 410,
    });
    expect(await sender.send(device('apns', 'c'.repeat(64)), message)).toMatchObject({
      kind: 'permanent',
      status: 400,
    });
    expect(await sender.send(device('apns', 'd'.repeat(64)), message)).toMatchObject({
      kind: 'retry',
      status: 429,
    });
    expect(await sender.send(device('apns', 'e'.repeat(64)), message)).toMatchObject({
      kind: 'permanent',
      status: 413,
    });
  });
});

describe('Web Push endpoints', () => {
  it('only public https addresses are contacted', () => {
    for (const ok of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/x',
      'https://web.push.apple.com/QGx',
      'https://8.8.8.8/x',
    ])
      expect(isPublicEndpoint(ok), ok).toBe(true);
    for (const bad of [
      'http://fcm.googleapis.com/x',
      'https://127.0.0.1:8443/x',
      'https://10.1.2.3/x',
      'https://172.20.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://localhost/x',
      'https://db.internal/x',
      'https://intranet/x',
      'https://user:pw@push.example.net/x',
      'not a url',
    ])
      expect(isPublicEndpoint(bad), bad).toBe(false);
  });

  it('a subscription to a private address is deactivated without a request', async () => {
    const http = httpsClient();
    const sender = webPushSender(
      { publicKey: 'x', privateKey: 'y', subject: 'mailto:operator@madoguchi.invalid' },
      http,
    );
    const outcome = await sender.send(
      {
        id: 'x',
        channel: 'webpush',
        token: 'https://169.254.169.254/latest',
        p256dh: 'BA',
        auth: 'AA',
        locale: 'ja',
      },
      noticeMessage(notice, 'ja', 60),
    );
    http.close();
    expect(outcome).toMatchObject({ kind: 'gone' });
  });
});
