import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One root secret, from MADOGUCHI_SECRET or generated once into the data folder
 * (mode 0600, never committed). Each purpose derives its own key with HKDF, so a key
 * leaked from one use says nothing about another.
 */
export type Secrets = {
  /** A 32-byte key for one named purpose ("session", "ppid", "letter-token", ...). */
  key(purpose: string): Buffer;
  /** The embedded PostgreSQL superuser password (only used when embedding). */
  embeddedPostgresPassword: string;
};

type SecretFile = { root: string; embeddedPostgresPassword: string };

export function loadSecrets(dataDir: string, rootFromEnv?: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  let stored: Partial<SecretFile> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretFile>;
  const complete: SecretFile = {
    root: stored.root ?? randomBytes(32).toString('base64url'),
    embeddedPostgresPassword:
      stored.embeddedPostgresPassword ?? randomBytes(24).toString('base64url'),
  };
  if (
    complete.root !== stored.root ||
    complete.embeddedPostgresPassword !== stored.embeddedPostgresPassword
  ) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(complete, null, 2) + '\n', { mode: 0o600 });
  }
  const root = Buffer.from(rootFromEnv ?? complete.root, 'utf8');
  const cache = new Map<string, Buffer>();
  return {
    embeddedPostgresPassword: complete.embeddedPostgresPassword,
    key(purpose) {
      let k = cache.get(purpose);
      if (!k) {
        k = Buffer.from(hkdfSync('sha256', root, 'madoguchi', purpose, 32));
        cache.set(purpose, k);
      }
      return k;
    },
  };
}
