import postgres from 'postgres';
import { CamelCasePlugin, Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type { Database } from './schema.ts';

export type Sql = postgres.Sql;

const CONNECT_TIMEOUT_SECONDS = 5;
/** How long a kysely query waits for a free pool connection before it fails (decision 0064). */
const ACQUIRE_TIMEOUT_MS = 3000;

/** A kysely query found no free pool connection in time: every connection is busy. */
export class PoolTimeoutError extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT';
  constructor(ms: number) {
    super(`no database connection free within ${ms} ms (pool exhausted)`);
    this.name = 'PoolTimeoutError';
  }
}

/**
 * The pool as kysely sees it, with a deadline on `reserve()`: postgres.js queues a query for
 * a free connection without limit, so slow queries holding every connection would make every
 * page hang. A reservation that arrives after its deadline is released at once.
 */
function withAcquireTimeout(sql: postgres.Sql, ms: number): postgres.Sql {
  const reserve = async () => {
    const pending = sql.reserve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PoolTimeoutError(ms)), ms);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      if (error instanceof PoolTimeoutError) pending.then((late) => late.release()).catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return new Proxy(sql, {
    get: (target, property, receiver) =>
      property === 'reserve' ? reserve : Reflect.get(target, property, receiver),
  });
}
export type Db = Kysely<Database>;

export type Connection = {
  /** The one postgres.js pool: kysely and pg-boss both run on it. */
  sql: Sql;
  db: Db;
  close(): Promise<void>;
};

/**
 * Opens the single pool the process uses. Columns are snake_case in Postgres and camelCase
 * in TypeScript (kysely's CamelCasePlugin). The pool gets no `transform` option because
 * pg-boss reads raw rows through it.
 */
export function connect(
  url: string,
  options: { max?: number; applicationName?: string; acquireTimeoutMs?: number } = {},
): Connection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 60,
    // A server that is down or restarting answers a new connection at once (refused, or "the
    // database system is starting up"); one that does not answer at all is given 5 s, not
    // postgres.js's 30 (decision 0064).
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'madoguchi' },
    // Calendar dates (birth dates, due dates) stay 'YYYY-MM-DD' strings: a JS Date would
    // drag a time zone into a value that has none.
    types: {
      date: {
        to: 1082,
        from: [1082],
        serialize: (value: string) => value,
        parse: (value: string) => value,
      },
    },
  });
  const db = new Kysely<Database>({
    dialect: new PostgresJSDialect({
      postgres: withAcquireTimeout(sql, options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS),
    }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    sql,
    db,
    async close() {
      await db.destroy();
    },
  };
}
