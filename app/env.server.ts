import { z } from 'zod';
import { parsePushConfig, type PushConfig } from './push/config.server.ts';
import { parseBackupSettings, type BackupSettings } from './operations/backup-settings.ts';

/**
 * Every environment variable Madoguchi reads, parsed once at start-up (README lists them).
 * Code that runs under Node directly (server.ts, db/, jobs/) imports this file too, so it
 * keeps to relative imports and erasable TypeScript.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A PEM block in one variable; a backslash followed by n stands for a line break. */
const pem = (label: string) =>
  z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n'))
    .refine((v) => v.includes(`-----BEGIN ${label}-----`), `a PEM ${label}`);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  MADOGUCHI_DATA_DIR: z.string().min(1).default('.data'),
  MADOGUCHI_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  MADOGUCHI_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  MADOGUCHI_SEED_DEMO: booleanFlag.optional(),
  MADOGUCHI_SECRET: z.string().min(32).optional(),
  MADOGUCHI_PUBLIC_ORIGIN: z.string().url().optional(),
  MADOGUCHI_TRUST_PROXY: booleanFlag.default(false),
  /** The city (全国地方公共団体コード) whose card-pickup targets the staff pages manage. */
  MADOGUCHI_CITY_CODE: z
    .string()
    .regex(/^\d{6}$/)
    .default('142107'),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  /** Web processes (node:cluster) serving HTTP on the same port. */
  MADOGUCHI_WEB_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Seconds between pg-boss supervision passes (jobs of dead workers are retried then). */
  /** Bearer token for /metrics; without it only loopback addresses may scrape. */
  METRICS_TOKEN: z.string().min(16).optional(),
  MADOGUCHI_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  /** The SMTP server mail goes through (smtp: or smtps:); unset: kept in the local mailbox. */
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), 'an smtp: or smtps: URL')
    .optional(),
  /** The From address of outgoing mail. */
  MAIL_FROM: z.string().min(3).optional(),
  /** The mdoc issuer's key folder (decision 0057); default <MADOGUCHI_DATA_DIR>/issuer. */
  MADOGUCHI_ISSUER_DIR: z.string().min(1).optional(),
  /** The issuing authority in the IACA and DS certificates and in issued mdocs. */
  MADOGUCHI_ISSUER_NAME: z.string().min(1).max(64).default('三浦市'),
  /** PEM texts that replace the issuer folder's IACA certificate and current DS. */
  MADOGUCHI_IACA_CERT: pem('CERTIFICATE').optional(),
  MADOGUCHI_DS_CERT: pem('CERTIFICATE').optional(),
  MADOGUCHI_DS_KEY: pem('PRIVATE KEY').optional(),
  /** The longest an issued mdoc is valid, in days (never past the card's own expiry). */
  MADOGUCHI_MDOC_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  /**
   * How long the credential endpoint waits for its issuance job before answering with a
   * transaction_id for the deferred endpoint instead (OpenID4VCI 1.0 §9), in milliseconds.
   */
  MADOGUCHI_CREDENTIAL_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
  /** Rotating log files (decision 0066): the folder, or `off`; default <MADOGUCHI_DATA_DIR>/logs. */
  MADOGUCHI_LOG_DIR: z.string().min(1).optional(),
  /** Days of log files kept (one compressed file a day): 5 years by default. */
  MADOGUCHI_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(1827),
  /** The log file's base name; the primary gives each forked web process its own. */
  MADOGUCHI_LOG_NAME: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('madoguchi'),
  /** Status list ttl (seconds): how long a verifier may cache a status list (decision 0060). */
  MADOGUCHI_STATUS_LIST_TTL: z.coerce.number().int().min(1).max(86_400).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export type Env = z.infer<typeof EnvSchema> & {
  LOG_LEVEL: NonNullable<z.infer<typeof EnvSchema>['LOG_LEVEL']>;
  /** Where people reach the service; the WebAuthn origin and the base of absolute links. */
  publicOrigin: string;
  /** True when no DATABASE_URL is set and Madoguchi runs its own PostgreSQL. */
  embeddedDatabase: boolean;
  seedDemo: boolean;
  /** Push delivery settings (PUSH_*, VAPID_*, FCM_*, APNS_*). */
  push: PushConfig;
  /** Base backups and WAL archiving (MADOGUCHI_BACKUP*). */
  backups: BackupSettings;
};

const invalid = (issues: readonly z.core.$ZodIssue[]) =>
  new Error(
    `Invalid environment:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set" (a blank line in a service file, `VAR= npm start`).
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = EnvSchema.safeParse(present);
  if (!result.success) throw invalid(result.error.issues);
  const env = result.data;
  const embeddedDatabase = env.DATABASE_URL === undefined;
  let push: PushConfig;
  let backups: BackupSettings;
  try {
    push = parsePushConfig(present);
    backups = parseBackupSettings(present, env.MADOGUCHI_DATA_DIR, embeddedDatabase);
  } catch (error) {
    if (error instanceof z.ZodError) throw invalid(error.issues);
    throw new Error(`Invalid environment: ${error instanceof Error ? error.message : error}`);
  }
  const defaultLevel = { development: 'debug', production: 'info', test: 'warn' } as const;
  return {
    ...env,
    LOG_LEVEL: env.LOG_LEVEL ?? defaultLevel[env.NODE_ENV],
    publicOrigin: env.MADOGUCHI_PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`,
    embeddedDatabase,
    seedDemo: env.MADOGUCHI_SEED_DEMO ?? embeddedDatabase,
    push,
    backups,
  };
}
