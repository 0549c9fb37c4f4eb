import { afterAll, beforeAll, inject } from 'vitest';
import postgres from 'postgres';
import { connect, type Connection } from '../db/connection.ts';

const workerDatabase = () => `test_w${process.env.VITEST_POOL_ID ?? '0'}`;

async function admin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(`${inject('databaseServerUrl')}postgres`, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** A fresh, empty database on the test server (for migration tests). */
export async function createEmptyDatabase(name: string): Promise<string> {
  await admin(async (sql) => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  });
  return `${inject('databaseServerUrl')}${name}`;
}

/**
 * Gives the calling test file its worker's database, cloned fresh from the migrated template
 * before the file's tests run. Files in one worker run one after another, so each file starts
 * from the same clean, migrated state.
 */
export function useTestDatabase(): { readonly url: string; readonly connection: Connection } {
  let connection: Connection | undefined;
  const name = workerDatabase();
  const url = `${inject('databaseServerUrl')}${name}`;
  beforeAll(async () => {
    await admin(async (sql) => {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.unsafe(
        `create database "${name}" template "${inject('templateDatabase')}" strategy file_copy`,
      );
    });
    connection = connect(url, { max: 5 });
  });
  afterAll(async () => {
    await connection?.close();
  });
  return {
    url,
    get connection() {
      if (!connection) throw new Error('useTestDatabase: used outside a test');
      return connection;
    },
  };
}
