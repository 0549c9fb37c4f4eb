import { join, resolve } from 'node:path';
import type { Env } from '../env.server.ts';
import type { Secrets } from './secrets.server.ts';
import { connect, type Connection } from '../../db/connection.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.ts';
import { migrateToLatest } from '../../db/migrator.ts';
import { embeddedArchiving } from '../operations/archiving.server.ts';

/**
 * The one way every entry point (the server, `npm run db:migrate`, the other scripts, the
 * benchmarks and the end-to-end helpers) reaches the database the app uses: DATABASE_URL, or
 * the embedded PostgreSQL in the data folder.
 */
export type OpenedDatabase = {
  connection: Connection;
  url: string;
  /** Set when this call started the embedded server (it stops with close()). */
  embedded?: EmbeddedPostgres;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** Connections in the pool. */
  max?: number;
  applicationName?: string;
  /**
   * `start`: this process owns the embedded server (the app). `reuse`: connect to the one a
   * running app already serves, or start it for the duration of a command if none does.
   */
  embedded?: 'start' | 'reuse';
  migrate?: boolean;
  onLog?: (line: string) => void;
  onWarning?: (message: string) => void;
};

/** The embedded cluster's address, from the data folder's generated password and the port. */
export function embeddedDatabaseUrl(secrets: Secrets, port: number): string {
  return `postgres://postgres:${encodeURIComponent(secrets.embeddedPostgresPassword)}@127.0.0.1:${port}/madoguchi`;
}

export async function openDatabase(
  env: Env,
  secrets: Secrets,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  const pool = { max: options.max ?? env.DB_POOL_MAX, applicationName: options.applicationName };
  let url = env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!url) {
    const running = embeddedDatabaseUrl(secrets, env.MADOGUCHI_PG_PORT);
    if (options.embedded === 'reuse' && (await answers(running))) url = running;
    else {
      embedded = await startEmbeddedPostgres({
        dir: join(resolve(env.MADOGUCHI_DATA_DIR), 'postgres'),
        port: env.MADOGUCHI_PG_PORT,
        password: secrets.embeddedPostgresPassword,
        database: 'madoguchi',
        ...embeddedArchiving(env, secrets),
        onLog: options.onLog,
        onWarning: options.onWarning,
      });
      url = embedded.url;
    }
  }
  const connection = connect(url, pool);
  const stop = embedded?.stop;
  try {
    if (options.migrate) await migrateToLatest(connection.db);
  } catch (error) {
    await connection.close().catch(() => {});
    await stop?.().catch(() => {});
    throw error;
  }
  return {
    connection,
    url,
    embedded,
    async close() {
      await connection.close();
      await stop?.();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const probe = connect(url, { max: 1 });
  try {
    await probe.sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.close();
  }
}
