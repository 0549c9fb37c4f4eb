import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** The database server's version, as PostgreSQL reports it ("18.1"). */
export async function serverVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
    db,
  );
  return rows[0]?.v ?? '';
}
