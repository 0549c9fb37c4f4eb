import { z } from 'zod';

const base64url = (bytes: number) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'push:settings.errors.keys')
    .refine(
      (value) => Buffer.from(value, 'base64url').length === bytes,
      'push:settings.errors.keys',
    );

/** A browser's PushSubscription as the settings page posts it (RFC 8030 endpoint, RFC 8291 keys). */
export const WebPushSubscription = z.object({
  endpoint: z
    .string()
    .trim()
    .max(2048, 'push:settings.errors.endpoint')
    .url('push:settings.errors.endpoint')
    .startsWith('https://', 'push:settings.errors.endpoint'),
  // An uncompressed P-256 point (65 bytes) and a 16-byte authentication secret.
  p256dh: base64url(65),
  auth: base64url(16),
});
