import type postgres from 'postgres';
import { PgBoss, type Db as BossDb } from 'pg-boss';
import type { Sql } from '../db/connection.ts';
import type { Logger } from '../app/platform/logger.server.ts';

const BOSS_SCHEMA = 'pgboss';

const STARTS_TRANSACTION = /^\s*BEGIN\b/i;

/**
 * pg-boss over our postgres.js pool. pg-boss sends migration and maintenance scripts as
 * `BEGIN; …; COMMIT;` text, which postgres.js refuses on a pooled connection, so those run
 * on a reserved one. Parameterless statements go through the simple protocol (several
 * statements at once are allowed there) and their per-statement row arrays are flattened.
 */
function bossDatabase(sql: Sql): BossDb {
  const run = async (target: Sql | postgres.ReservedSql, text: string, values: unknown[]) => {
    const result = values.length
      ? await target.unsafe(text, values as postgres.ParameterOrJSON<never>[])
      : await target.unsafe(text);
    const rows = result as unknown as unknown[];
    return { rows: rows.length > 0 && rows.every(Array.isArray) ? rows.flat() : rows };
  };
  return {
    async executeSql(text, values = []) {
      if (!STARTS_TRANSACTION.test(text)) return run(sql, text, values);
      const reserved = await sql.reserve();
      try {
        return await run(reserved, text, values);
      } finally {
        reserved.release();
      }
    },
  };
}

export async function startBoss(
  sql: Sql,
  log: Logger,
  options: { supervise?: boolean; superviseIntervalSeconds?: number } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDatabase(sql),
    schema: BOSS_SCHEMA,
    supervise: options.supervise ?? true,
    schedule: options.supervise ?? true,
    // How often dead workers' jobs (missed heartbeats) are found and retried; pg-boss's default is 60 s.
    ...(options.superviseIntervalSeconds
      ? { superviseIntervalSeconds: options.superviseIntervalSeconds }
      : {}),
  });
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  boss.on('warning', (warning) => log.warn({ warning }, 'pg-boss warning'));
  await boss.start();
  return boss;
}
