import type { PushChannel } from '../../db/schema.ts';
import type { Secrets } from '../platform/secrets.server.ts';
import type { PushSender } from './channels/channel.ts';
import { httpsClient } from './channels/http.server.ts';
import { webPushSender } from './channels/webpush.server.ts';
import { fcmSender } from './channels/fcm.server.ts';
import { apnsSender } from './channels/apns.server.ts';
import type { PushConfig } from './config.server.ts';
import { vapidKeys, type VapidKeys } from './vapid.server.ts';

/** What the push jobs need, built once per worker process. */
export type PushRuntime = {
  config: PushConfig;
  vapid: VapidKeys;
  senders: Partial<Record<PushChannel, PushSender>>;
  /** The clock every push decision reads (tests pass their own). */
  now(): Date;
  close(): void;
};

export function createPushRuntime(input: {
  config: PushConfig;
  secrets: Secrets;
  publicOrigin?: string;
  now?: () => Date;
}): PushRuntime {
  const { config } = input;
  const vapid = vapidKeys(config, input.secrets, input.publicOrigin);
  const http = httpsClient({ extraCa: config.extraCa, maxSockets: config.concurrency });
  const senders: Partial<Record<PushChannel, PushSender>> = {
    webpush: webPushSender(vapid, http, { allowPrivateEndpoints: config.allowPrivateEndpoints }),
  };
  if (config.fcm) senders.fcm = fcmSender(config.fcm, http);
  if (config.apns) senders.apns = apnsSender(config.apns, config.extraCa);
  return {
    config,
    vapid,
    senders,
    now: input.now ?? (() => new Date()),
    close() {
      http.close();
      for (const sender of Object.values(senders)) sender.close?.();
    },
  };
}
