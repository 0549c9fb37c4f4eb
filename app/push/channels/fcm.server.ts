import { readFileSync } from 'node:fs';
import type { PushConfig } from '../config.server.ts';
import {
  classifyStatus,
  eventFields,
  type Device,
  type PushMessage,
  type PushSender,
} from './channel.ts';
import { header, type HttpsClient } from './http.server.ts';
import { signJwt } from './jwt.server.ts';

/** FCM data values are strings: the configuration ids space-separated, the flag "true"/"false". */
function fcmData(message: PushMessage): Record<string, string> {
  const { event } = message;
  if (!event) return { type: eventFields(message).type };
  return {
    type: event.type,
    credential_configuration_ids: event.credentialConfigurationIds.join(' '),
    reissue_available: String(event.reissueAvailable),
  };
}

type ServiceAccount = { client_email: string; private_key: string; token_uri: string };

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/**
 * FCM HTTP v1: an OAuth 2.0 access token from the service account (JWT bearer grant, kept
 * until shortly before it expires), then one `messages:send` per device.
 */
export function fcmSender(config: NonNullable<PushConfig['fcm']>, http: HttpsClient): PushSender {
  const account = JSON.parse(readFileSync(config.serviceAccountFile, 'utf8')) as ServiceAccount;
  let token: { value: string; renewAt: number } | undefined;

  async function accessToken(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (token && token.renewAt > now) return token.value;
    const assertion = signJwt(
      'RS256',
      {},
      {
        iss: account.client_email,
        scope: SCOPE,
        aud: account.token_uri,
        iat: now,
        exp: now + 3600,
      },
      account.private_key,
    );
    const answer = await http.post(
      account.token_uri,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }).toString(),
    );
    if (answer.status !== 200) throw new Error(`FCM token endpoint answered ${answer.status}`);
    const body = JSON.parse(answer.body) as { access_token: string; expires_in: number };
    token = { value: body.access_token, renewAt: now + Math.max(60, body.expires_in - 300) };
    return token.value;
  }

  const url = `${config.endpoint.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(config.projectId)}/messages:send`;
  return {
    channel: 'fcm',
    async send(device: Device, message: PushMessage) {
      const body = JSON.stringify({
        message: {
          token: device.token,
          notification: { title: message.title, body: message.body },
          data: {
            ...fcmData(message),
            noticeId: message.noticeId,
            url: message.path,
            lang: message.lang,
          },
          android: {
            ttl: `${message.ttlSeconds}s`,
            collapse_key: message.topic,
            priority: message.urgency === 'high' ? 'high' : 'normal',
          },
        },
      });
      const answer = await http.post(
        url,
        {
          Authorization: `Bearer ${await accessToken()}`,
          'Content-Type': 'application/json; charset=utf-8',
        },
        body,
      );
      if (answer.status === 401) {
        token = undefined; // expired or revoked: fetch a new one on the retry
        return { kind: 'retry', status: 401, detail: answer.body.slice(0, 300) };
      }
      if (/UNREGISTERED/.test(answer.body))
        return { kind: 'gone', status: answer.status, detail: 'UNREGISTERED' };
      // Any other 404 is our configuration (project, endpoint), not the device: never deactivate.
      if (answer.status === 404)
        return { kind: 'permanent', status: 404, detail: answer.body.slice(0, 300) };
      const outcome = classifyStatus(answer.status, header(answer.headers['retry-after']));
      return outcome.kind === 'sent' ? outcome : { ...outcome, detail: answer.body.slice(0, 300) };
    },
  };
}
