import { z } from 'zod';
import { base64urlBytes, isP256PublicKey, isPushAuthSecret } from './keys.ts';

const key = (valid: (bytes: Uint8Array | null) => boolean) =>
  z
    .string()
    .trim()
    .refine((value) => valid(base64urlBytes(value)), 'push:settings.errors.keys');

/** A browser's PushSubscription as the settings page posts it (RFC 8030 endpoint, RFC 8291 keys). */
export const WebPushSubscription = z.object({
  endpoint: z
    .string()
    .trim()
    .max(2048, 'push:settings.errors.endpoint')
    .url('push:settings.errors.endpoint')
    .startsWith('https://', 'push:settings.errors.endpoint'),
  // An uncompressed P-256 point on the curve (65 bytes) and a 16-byte authentication secret.
  p256dh: key(isP256PublicKey),
  auth: key(isPushAuthSecret),
});
