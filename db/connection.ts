import postgres from 'postgres';
import { CamelCasePlugin, Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type { Database } from './schema.ts';

export type Sql = postgres.Sql;
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
  options: { max?: number; applicationName?: string } = {},
): Connection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 60,
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
    dialect: new PostgresJSDialect({ postgres: sql }),
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
