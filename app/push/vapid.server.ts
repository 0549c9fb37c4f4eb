import { createECDH } from 'node:crypto';
import type { Secrets } from '../platform/secrets.server.ts';
import type { PushConfig } from './config.server.ts';

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

/**
 * The VAPID key pair (RFC 8292): from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY, or derived from the
 * installation's root secret (generated into the data folder on first start), so every
 * process of one installation signs with the same key and browsers' subscriptions stay valid.
 */
export function vapidKeys(
  config: PushConfig,
  secrets: Secrets,
  publicOrigin: string | undefined,
): VapidKeys {
  const subject =
    config.vapidSubject ??
    (publicOrigin?.startsWith('https://') ? publicOrigin : 'mailto:operator@madoguchi.invalid');
  if (config.vapid) return { ...config.vapid, subject };
  const ecdh = createECDH('prime256v1');
  const privateKey = secrets.key('vapid-p256');
  ecdh.setPrivateKey(privateKey);
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: privateKey.toString('base64url'),
    subject,
  };
}

let portalKey: { secrets: Secrets; publicKey: string } | undefined;

/** The VAPID public key browsers subscribe with (the same pair the workers sign with). */
export function portalVapidKey(context: {
  secrets: Secrets;
  env: { publicOrigin: string; push: PushConfig };
}): string {
  if (portalKey?.secrets !== context.secrets) {
    portalKey = {
      secrets: context.secrets,
      publicKey: vapidKeys(context.env.push, context.secrets, context.env.publicOrigin).publicKey,
    };
  }
  return portalKey.publicKey;
}
