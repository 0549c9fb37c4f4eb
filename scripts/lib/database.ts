import { resolve } from 'node:path';
import { parseEnv, type Env } from '../../app/env.server.ts';
import { loadSecrets, type Secrets } from '../../app/platform/secrets.server.ts';
import { openDatabase } from '../../app/platform/database.server.ts';
import type { Db } from '../../db/connection.ts';

/**
 * For command-line scripts: the database the app would use (DATABASE_URL, or the embedded
 * one in MADOGUCHI_DATA_DIR: the running app's, or started for the script if the app is not
 * running), migrated.
 */
export async function openScriptDatabase(
  options: { applicationName?: string; migrate?: boolean } = {},
): Promise<{ db: Db; env: Env; secrets: Secrets; url: string; close(): Promise<void> }> {
  const env = parseEnv();
  const secrets = loadSecrets(resolve(env.MADOGUCHI_DATA_DIR), env.MADOGUCHI_SECRET);
  const opened = await openDatabase(env, secrets, {
    max: 2,
    embedded: 'reuse',
    migrate: options.migrate ?? true,
    applicationName: options.applicationName,
  });
  return { db: opened.connection.db, env, secrets, url: opened.url, close: opened.close };
}
