/**
 * The reads of Token Status List serving (decision 0060). Both run on the partial index of
 * revoked credentials (migration 0038): their cost follows a list's revocations, not its size.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export type StatusListState = {
  size: number;
  /** Changes whenever a credential of the list is revoked (or a revocation is undone). */
  marker: string;
};

/** The list's size and change marker, or null for an unknown list. One query. */
export async function statusListState(db: Db, listId: number): Promise<StatusListState | null> {
  const result = await sql<{ size: number; revoked: string; latest: Date | null }>`
    select l.size, count(c.status_index)::text as revoked, max(c.revoked_at) as latest
    from credential_status_list l
    left join issued_credential c on c.status_list_id = l.id and c.revoked_at is not null
    where l.id = ${listId}
    group by l.id`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  return { size: row.size, marker: `${row.revoked}:${row.latest?.getTime() ?? 0}` };
}

/** The revoked indices of one list. */
export async function revokedIndices(db: Db, listId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('issuedCredential')
    .select('statusIndex')
    .where('statusListId', '=', listId)
    .where('revokedAt', 'is not', null)
    .execute();
  return rows.map((r) => r.statusIndex);
}
