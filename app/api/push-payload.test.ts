import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { decrypt } from 'http_ece';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startFakeApns, startFakeFcm } from '../../test/support/provider-fakes.ts';
import { startPushService } from '../../test/support/push-service.ts';
import { httpsClient } from '../push/channels/http.server.ts';
import { fcmSender } from '../push/channels/fcm.server.ts';
import { apnsSender } from '../push/channels/apns.server.ts';
import { webPushSender } from '../push/channels/webpush.server.ts';
import type { Device } from '../push/channels/channel.ts';
import { noticeMessage, type NoticeForPush } from '../push/message.ts';
import { openApiDocument } from './openapi.server.ts';

/*
 * The push payloads documented in /api/v1/openapi.json are what the channels send: every
 * channel's request, for a targeted and a broadcast notice and a ja and an en device, is valid
 * under the documented schema and follows the documented language, URL, Topic and Urgency.
 */
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as typeof addFormatsModule;
const BASE = 'https://madoguchi.invalid/api/v1/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openApiDocument('https://madoguchi.invalid'), BASE);
const documented = (name: string) => {
  const validate = ajv.getSchema(`${BASE}#/components/schemas/${name}`)!;
  return (value: unknown) => (validate(value) ? [] : validate.errors);
};

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-payloads-'));
const targeted: NoticeForPush = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'targeted',
  titleJa: '転出のお知らせ',
  titleEn: 'Moving out',
};
const broadcast: NoticeForPush = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  kind: 'broadcast',
  titleJa: 'あ'.repeat(250), // no English title; longer than a push body may be
  titleEn: null,
};
const cases = [
  { notice: targeted, locale: 'ja', lang: 'ja', urgency: 'high' },
  { notice: targeted, locale: 'en', lang: 'en', urgency: 'high' },
  { notice: broadcast, locale: 'en', lang: 'ja', urgency: 'normal' },
] as const;
const device = (channel: Device['channel'], token: string, locale: 'ja' | 'en'): Device => ({
  id: token,
  channel,
  token,
  p256dh: null,
  auth: null,
  locale,
});

describe('documented push payloads', () => {
  let fcm: Awaited<ReturnType<typeof startFakeFcm>>;
  let apns: Awaited<ReturnType<typeof startFakeApns>>;
  let push: Awaited<ReturnType<typeof startPushService>>;
  const clients: ReturnType<typeof httpsClient>[] = [];
  beforeAll(async () => {
    [fcm, apns, push] = await Promise.all([
      startFakeFcm('madoguchi-test'),
      startFakeApns('TEAM123456', 'KEY1234567', 'jp.example.myna'),
      startPushService({ keep: true }),
    ]);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([fcm.close(), apns.close(), push.close()]);
  });

  it('Web Push: the decrypted JSON is a WebPushPayload; TTL, Topic and Urgency as documented', async () => {
    const http = httpsClient({ extraCa: push.ca });
    clients.push(http);
    const keys = webpush.generateVAPIDKeys();
    const sender = webPushSender({ ...keys, subject: 'mailto:operator@madoguchi.invalid' }, http, {
      allowPrivateEndpoints: true,
    });
    for (const [i, c] of cases.entries()) {
      const subscription = push.subscribe(`payload-${i}`);
      const outcome = await sender.send(
        { ...device('webpush', subscription.endpoint, c.locale), ...subscription.keys },
        noticeMessage(c.notice, c.locale, 3600),
      );
      expect(outcome).toMatchObject({ kind: 'sent' });
      const request = push.received.find((r) => r.subscription === subscription.id)!;
      const payload = JSON.parse(
        decrypt(request.body, {
          version: 'aes128gcm',
          privateKey: subscription.ecdh,
          authSecret: subscription.auth,
        }).toString('utf8'),
      );
      expect(documented('WebPushPayload')(payload)).toEqual([]);
      expect(payload).toMatchObject({
        lang: c.lang,
        noticeId: c.notice.id,
        url: `/${c.lang}/notices/${c.notice.id}`,
      });
      expect(request.headers).toMatchObject({
        ttl: '3600',
        topic: 'new-notice',
        urgency: c.urgency,
      });
    }
  });

  it('FCM: the request is an FcmMessage; collapse_key and priority as documented', async () => {
    const file = join(dir, 'service-account.json');
    writeFileSync(file, JSON.stringify(fcm.serviceAccount));
    const http = httpsClient({ extraCa: fcm.ca });
    clients.push(http);
    const sender = fcmSender(
      { projectId: 'madoguchi-test', endpoint: fcm.origin, serviceAccountFile: file },
      http,
    );
    for (const [i, c] of cases.entries()) {
      const token = `fcm-payload-token-${i}`;
      await sender.send(device('fcm', token, c.locale), noticeMessage(c.notice, c.locale, 3600));
      const body = fcm.messages.find((m) => m.token === token)!.body;
      expect(documented('FcmMessage')(body)).toEqual([]);
      expect(body).toMatchObject({
        message: {
          data: { lang: c.lang, url: `/${c.lang}/notices/${c.notice.id}` },
          android: { collapse_key: 'new-notice', priority: c.urgency, ttl: '3600s' },
        },
      });
    }
  });

  it('APNs: the payload is an ApnsPayload; collapse id and priority as documented', async () => {
    const keyFile = join(dir, 'AuthKey.p8');
    writeFileSync(keyFile, apns.key);
    const sender = apnsSender(
      {
        origin: apns.origin,
        teamId: 'TEAM123456',
        keyId: 'KEY1234567',
        keyFile,
        topic: 'jp.example.myna',
      },
      apns.ca,
    );
    try {
      for (const [i, c] of cases.entries()) {
        const token = String(i).repeat(64);
        await sender.send(device('apns', token, c.locale), noticeMessage(c.notice, c.locale, 3600));
        const request = apns.requests.find((r) => r.token === token)!;
        expect(documented('ApnsPayload')(request.body)).toEqual([]);
        expect(request.body).toMatchObject({
          lang: c.lang,
          url: `/${c.lang}/notices/${c.notice.id}`,
        });
        expect(request.headers['apns-collapse-id']).toBe('new-notice');
        expect(request.headers['apns-priority']).toBe(c.urgency === 'high' ? '10' : '5');
      }
    } finally {
      sender.close?.();
    }
  });
});
