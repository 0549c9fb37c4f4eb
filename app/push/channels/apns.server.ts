import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import type { PushConfig } from '../config.server.ts';
import {
  eventFields,
  classifyStatus,
  type Device,
  type PushMessage,
  type PushOutcome,
  type PushSender,
} from './channel.ts';
import { signJwt } from './jwt.server.ts';

/**
 * APNs over HTTP/2 with token authentication: one long-lived connection, a provider JWT
 * (ES256, team id + key id) renewed every 40 minutes as Apple asks (20–60).
 */
export function apnsSender(config: NonNullable<PushConfig['apns']>, extraCa?: string): PushSender {
  const key = createPrivateKey(readFileSync(config.keyFile, 'utf8'));
  let jwt: { value: string; renewAt: number } | undefined;
  let session: ClientHttp2Session | undefined;

  const providerToken = () => {
    const now = Math.floor(Date.now() / 1000);
    if (!jwt || jwt.renewAt <= now)
      jwt = {
        value: signJwt('ES256', { kid: config.keyId }, { iss: config.teamId, iat: now }, key),
        renewAt: now + 40 * 60,
      };
    return jwt.value;
  };
  const connection = () => {
    if (!session || session.closed || session.destroyed) {
      session = connect(config.origin, extraCa ? { ca: extraCa } : {});
      session.on('error', () => session?.destroy());
      session.unref();
    }
    return session;
  };

  return {
    channel: 'apns',
    send(device: Device, message: PushMessage): Promise<PushOutcome> {
      const payload = JSON.stringify({
        aps: { alert: { title: message.title, body: message.body }, 'thread-id': message.topic },
        ...eventFields(message),
        noticeId: message.noticeId,
        url: message.path,
        lang: message.lang,
      });
      return new Promise((resolve) => {
        const req = connection().request({
          [constants.HTTP2_HEADER_METHOD]: 'POST',
          [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(device.token)}`,
          authorization: `bearer ${providerToken()}`,
          'apns-topic': config.topic,
          'apns-push-type': 'alert',
          'apns-expiration': String(Math.floor(Date.now() / 1000) + message.ttlSeconds),
          'apns-priority': message.urgency === 'high' ? '10' : '5',
          'apns-collapse-id': message.topic,
          'content-type': 'application/json',
        });
        let status = 0;
        let retryAfter: string | undefined;
        const chunks: Buffer[] = [];
        req.setTimeout(30_000, () => req.close(constants.NGHTTP2_CANCEL));
        req.on('response', (headers) => {
          status = Number(headers[constants.HTTP2_HEADER_STATUS]);
          retryAfter = headers['retry-after'] as string | undefined;
        });
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('error', (error) =>
          resolve({ kind: 'retry', status: null, detail: String(error).slice(0, 300) }),
        );
        req.on('close', () => {
          if (status === 0) return resolve({ kind: 'retry', status: null, detail: 'no answer' });
          const text = Buffer.concat(chunks).toString('utf8');
          const reason = /"reason"\s*:\s*"([A-Za-z]+)"/.exec(text)?.[1] ?? '';
          // BadDeviceToken is also what a token of the other APNs environment gets: counted,
          // not deactivated.
          if (status === 410 || reason === 'Unregistered')
            return resolve({ kind: 'gone', status, detail: reason });
          if (status === 403 && reason === 'ExpiredProviderToken') {
            jwt = undefined;
            return resolve({ kind: 'retry', status, detail: reason });
          }
          const outcome = classifyStatus(status, retryAfter);
          resolve(outcome.kind === 'sent' ? outcome : { ...outcome, detail: reason });
        });
        req.end(payload);
      });
    },
    close: () => session?.close(),
  };
}
