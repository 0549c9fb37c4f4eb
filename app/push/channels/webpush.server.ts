import webpush from 'web-push';
import type { VapidKeys } from '../vapid.server.ts';
import { encryptForSubscription } from './ece.server.ts';
import { isPublicEndpoint } from './endpoint.ts';
import {
  classifyStatus,
  eventFields,
  MAX_PAYLOAD_BYTES,
  type Device,
  type PushMessage,
  type PushOutcome,
  type PushSender,
} from './channel.ts';
import { header, type HttpsClient } from './http.server.ts';

/** The JSON the service worker (public/sw.js) reads from a push. */
export function webPushPayload(message: PushMessage): string {
  return JSON.stringify({
    v: 1,
    ...eventFields(message),
    noticeId: message.noticeId,
    lang: message.lang,
    title: message.title,
    body: message.body,
    url: message.path,
  });
}

const VAPID_LIFETIME_SECONDS = 12 * 3600;

/**
 * Web Push: the payload encrypted for the subscription (RFC 8291, aes128gcm; ece.server.ts)
 * and a VAPID token (RFC 8292, from `web-push`) per push-service origin, signed once and
 * reused until it nears expiry.
 */
export function webPushSender(
  vapid: VapidKeys,
  http: HttpsClient,
  options: { allowPrivateEndpoints?: boolean } = {},
): PushSender {
  const tokens = new Map<string, { authorization: string; renewAt: number }>();
  const authorization = (endpoint: string) => {
    const audience = new URL(endpoint).origin;
    const now = Math.floor(Date.now() / 1000);
    const cached = tokens.get(audience);
    if (cached && cached.renewAt > now) return cached.authorization;
    const headers = webpush.getVapidHeaders(
      audience,
      vapid.subject,
      vapid.publicKey,
      vapid.privateKey,
      'aes128gcm',
      now + VAPID_LIFETIME_SECONDS,
    );
    tokens.set(audience, {
      authorization: headers.Authorization,
      renewAt: now + VAPID_LIFETIME_SECONDS - 3600,
    });
    return headers.Authorization;
  };

  return {
    channel: 'webpush',
    async send(device: Device, message: PushMessage): Promise<PushOutcome> {
      if (!options.allowPrivateEndpoints && !isPublicEndpoint(device.token))
        return { kind: 'gone', status: 400, detail: 'endpoint is not a public https address' };
      if (!device.p256dh || !device.auth)
        return { kind: 'permanent', status: 400, detail: 'subscription without keys' };
      const payload = Buffer.from(webPushPayload(message), 'utf8');
      let body: Buffer;
      try {
        body = encryptForSubscription(device.p256dh, device.auth, payload);
      } catch (error) {
        // A subscription whose keys are not a P-256 point and a 16-byte secret never works.
        return { kind: 'gone', status: 400, detail: `bad subscription keys: ${String(error)}` };
      }
      if (body.length > MAX_PAYLOAD_BYTES)
        return { kind: 'permanent', status: 413, detail: 'payload over 4 KB' };
      const answer = await http.post(
        device.token,
        {
          TTL: message.ttlSeconds,
          Urgency: message.urgency,
          Topic: message.topic,
          'Content-Type': 'application/octet-stream',
          'Content-Encoding': 'aes128gcm',
          'Content-Length': body.length,
          Authorization: authorization(device.token),
        },
        body,
      );
      const outcome = classifyStatus(answer.status, header(answer.headers['retry-after']));
      return outcome.kind === 'sent' ? outcome : { ...outcome, detail: answer.body.slice(0, 300) };
    },
  };
}
