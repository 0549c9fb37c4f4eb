import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseQuietHours, type QuietHours } from './schedule.ts';

/**
 * Push settings from the environment. Defaults follow the requirements: a broadcast spread
 * over seven days, nothing sent between 21:00 and 08:00 Asia/Tokyo.
 */
const PushEnv = z.object({
  PUSH_WINDOW_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 31)
    .default(24 * 7),
  PUSH_QUIET_HOURS: z.string().default('21:00-08:00'),
  /** Registrations per batch (one pg-boss job each). */
  PUSH_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Sends in flight at once per worker process. */
  PUSH_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(128),
  /** Seconds a push may wait at the provider for an offline device. */
  PUSH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(28 * 24 * 3600)
    .default(24 * 3600),
  /** PEM file of an extra certificate authority (a local push service in tests). */
  PUSH_EXTRA_CA_FILE: z.string().optional(),
  /** Let Web Push reach loopback/private addresses (a local push service in tests only). */
  PUSH_ALLOW_PRIVATE_ENDPOINTS: z.enum(['true', 'false']).default('false'),
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  VAPID_SUBJECT: z.string().optional(),
  FCM_PROJECT_ID: z.string().optional(),
  FCM_ENDPOINT: z.string().url().default('https://fcm.googleapis.com'),
  /** A service-account JSON file (client_email, private_key, token_uri). */
  FCM_SERVICE_ACCOUNT_FILE: z.string().optional(),
  APNS_ORIGIN: z.string().url().default('https://api.push.apple.com'),
  APNS_TEAM_ID: z.string().optional(),
  APNS_KEY_ID: z.string().optional(),
  /** A .p8 key file (PKCS#8 PEM, P-256). */
  APNS_KEY_FILE: z.string().optional(),
  APNS_TOPIC: z.string().optional(),
});

export type PushConfig = {
  windowHours: number;
  quiet: QuietHours;
  batchSize: number;
  concurrency: number;
  ttlSeconds: number;
  extraCa?: string;
  allowPrivateEndpoints: boolean;
  vapid?: { publicKey: string; privateKey: string };
  vapidSubject?: string;
  fcm?: { projectId: string; endpoint: string; serviceAccountFile: string };
  apns?: { origin: string; teamId: string; keyId: string; keyFile: string; topic: string };
};

export function parsePushConfig(source: Record<string, string | undefined>): PushConfig {
  const env = PushEnv.parse(source);
  const fcm =
    env.FCM_PROJECT_ID && env.FCM_SERVICE_ACCOUNT_FILE
      ? {
          projectId: env.FCM_PROJECT_ID,
          endpoint: env.FCM_ENDPOINT,
          serviceAccountFile: env.FCM_SERVICE_ACCOUNT_FILE,
        }
      : undefined;
  const apns =
    env.APNS_TEAM_ID && env.APNS_KEY_ID && env.APNS_KEY_FILE && env.APNS_TOPIC
      ? {
          origin: env.APNS_ORIGIN,
          teamId: env.APNS_TEAM_ID,
          keyId: env.APNS_KEY_ID,
          keyFile: env.APNS_KEY_FILE,
          topic: env.APNS_TOPIC,
        }
      : undefined;
  if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY))
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together');
  return {
    windowHours: env.PUSH_WINDOW_HOURS,
    quiet: parseQuietHours(env.PUSH_QUIET_HOURS),
    batchSize: env.PUSH_BATCH_SIZE,
    concurrency: env.PUSH_CONCURRENCY,
    ttlSeconds: env.PUSH_TTL_SECONDS,
    extraCa: env.PUSH_EXTRA_CA_FILE ? readFileSync(env.PUSH_EXTRA_CA_FILE, 'utf8') : undefined,
    allowPrivateEndpoints: env.PUSH_ALLOW_PRIVATE_ENDPOINTS === 'true',
    vapid:
      env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
        ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
        : undefined,
    vapidSubject: env.VAPID_SUBJECT,
    fcm,
    apns,
  };
}
