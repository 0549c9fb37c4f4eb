import type { Selectable } from 'kysely';
import type { PushChannel, PushRegistrationTable } from '../../../db/schema.ts';

/** One device to push to, as stored in push_registration. */
export type Device = Pick<
  Selectable<PushRegistrationTable>,
  'id' | 'channel' | 'token' | 'p256dh' | 'auth' | 'locale'
>;

/** What a push says: there is a new notice, in the device's language, and where it opens. */
export type PushMessage = {
  noticeId: string;
  lang: 'ja' | 'en';
  title: string;
  body: string;
  /** A path on the portal, e.g. /ja/notices/<id>. */
  path: string;
  /** Collapse key / topic: a newer push of the same topic replaces an undelivered older one. */
  topic: string;
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** Set for a push the app acts on (decision 0062 addendum); plain notice pushes have none. */
  event?: CredentialRevokedEvent;
};

/**
 * The resident's credentials were revoked: which configurations, and whether the app may ask
 * for new ones now. Never personal data.
 */
export type CredentialRevokedEvent = {
  type: 'credential_revoked';
  credentialConfigurationIds: string[];
  reissueAvailable: boolean;
};

/** The fields every channel adds for a message's event (its `type`; 'notice' without one). */
export function eventFields(message: PushMessage) {
  if (!message.event) return { type: 'notice' as const };
  return {
    type: message.event.type,
    credential_configuration_ids: message.event.credentialConfigurationIds,
    reissue_available: message.event.reissueAvailable,
  };
}

/**
 * Every provider answer falls in one class:
 * - sent: accepted;
 * - gone: 404/410 or the provider's "unregistered" — the registration is deactivated;
 * - retry: 429, 5xx or a network failure — sent again with backoff, honouring Retry-After;
 * - permanent: 400, 413 and other refusals — counted, logged, not retried.
 */
export type PushOutcome =
  | { kind: 'sent'; status: number }
  | { kind: 'gone'; status: number; detail?: string }
  | { kind: 'retry'; status: number | null; retryAfterMs?: number; detail?: string }
  | { kind: 'permanent'; status: number; detail?: string };

export interface PushSender {
  readonly channel: PushChannel;
  send(device: Device, message: PushMessage): Promise<PushOutcome>;
  close?(): void;
}

/** The classification shared by every HTTP provider; adapters refine it with their bodies. */
export function classifyStatus(
  status: number,
  retryAfter: string | null | undefined,
  now = Date.now(),
): PushOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429 || status >= 500)
    return { kind: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { kind: 'permanent', status };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()) {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Payloads stay under the 4,096 bytes every push service accepts (RFC 8030 §7.2). */
export const MAX_PAYLOAD_BYTES = 4096;
