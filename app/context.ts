import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/connection.ts';
import type { Env } from './env.server.ts';
import type { Logger } from './platform/logger.server.ts';
import type { Secrets } from './platform/secrets.server.ts';

export type Readiness = {
  ok: boolean;
  checks: {
    database: { ok: boolean; error?: string };
    migrations: { ok: boolean; pending: string[] };
    queue: { ok: boolean; state: string };
  };
};

/** What server.ts hands every loader and action (and tests build the same way). */
export type AppContext = {
  db: Db;
  boss: PgBoss;
  env: Env;
  log: Logger;
  secrets: Secrets;
  readiness(): Promise<Readiness>;
  /** Per request: the CSP nonce for inline scripts. */
  cspNonce: string;
  /** Per request: an id carried into logs and error pages. */
  requestId: string;
  /** Per request: the client's address (behind a proxy only with MADOGUCHI_TRUST_PROXY). */
  clientIp: string | null;
};

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}

declare module '@remix-run/server-runtime' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
  interface Future {
    v3_singleFetch: true;
  }
}
